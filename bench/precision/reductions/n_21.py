# kornia/geometry/_degensac.py, _plane_parallax_search (Chum's rFtH, run by RANSAC._degensac_recover for an
# H-degenerate record setter whose plane has > 6 inliers and >= 4 correspondences off it, degensac=True):
# CA106 nth 1 (line 309, `best = max(best, int(kept_support[0]))`), CA106 nth 1 (line 313, `if not
# bool(qualifying.any()):`), CA111 nth 1 and nth 2 (line 315, `return kept[qualifying], kept_support[qualifying]`).
# kept_support is the int64 top-8 support tensor, qualifying = kept_support > 4 a bool mask: int()/bool() of 0-d
# tensors are implicit .item() calls (GB0124) and the two mask reads have a data-dependent length (GB0036), each a
# break in plain torch.compile. (In this release Dynamo meets the host-generator draw torch.rand(size,
# generator=generator) at line 301 first, inside the same while loop, and then runs the whole function eagerly; these
# lines break as soon as that is changed.) Shown: lines 309-315 on the real kept / kept_support, read from the real
# function inside the real eager RANSAC('fundamental', degensac=True) on a dominant-plane scene.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia.geometry.ransac as R
import kornia.geometry._degensac as D

state = {}


def tracer(frame, event, arg):  # read kept / kept_support of the real function where line 309 runs
    if frame.f_code is D._plane_parallax_search.__code__:
        if event == "line" and frame.f_lineno == 309 and "kept" not in state:
            state.update(kept=frame.f_locals["kept"].clone(), kept_support=frame.f_locals["kept_support"].clone(),
                         best=frame.f_locals["best"])
        return tracer
    return None


# 160 points on a plane (depth 6) and 40 off it, seen by two cameras 0.5 apart: a dominant-plane scene
g = torch.Generator().manual_seed(0)
plane = torch.cat([torch.rand(160, 2, generator=g) * 4 - 2, torch.full((160, 1), 6.0)], 1)
off = torch.cat([torch.rand(40, 2, generator=g) * 4 - 2, torch.rand(40, 1, generator=g) * 20 + 2], 1)
X = torch.cat([plane, off]).double()
K = torch.tensor([[500.0, 0, 320], [0, 500, 240], [0, 0, 1]], dtype=torch.float64)
a = torch.tensor(0.1, dtype=torch.float64)
rot = torch.tensor([[1, 0, 0], [0, a.cos(), -a.sin()], [0, a.sin(), a.cos()]], dtype=torch.float64)
t = torch.tensor([0.5, 0.1, 0.0], dtype=torch.float64)


def project(P):
    p = P @ K.T
    return p[:, :2] / p[:, 2:]


kp1 = (project(X) + 0.3 * torch.randn(len(X), 2, generator=g, dtype=torch.float64)).float()
kp2 = (project(X @ rot.T + t) + 0.3 * torch.randn(len(X), 2, generator=g, dtype=torch.float64)).float()
sys.settrace(tracer)
R.RANSAC("fundamental", degensac=True, seed=0)(kp1, kp2)
sys.settrace(None)
print("captured: kept", tuple(state["kept"].shape), state["kept"].dtype, "kept_support", state["kept_support"].tolist())


def lines_309_315(kept, kept_support, best: int):
    best = max(best, int(kept_support[0]))
    qualifying = kept_support > D._PP_MIN_SUPPORT
    if not bool(qualifying.any()):
        return None
    return kept[qualifying], kept_support[qualifying], best


check(lines_309_315, state["kept"], state["kept_support"], state["best"], mode="default")
