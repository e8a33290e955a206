# kornia/geometry/_degensac.py CA106 nth 1 (line 172, _best_candidate: `if not bool(torch.isfinite(gains).any()):`) and
# CA106 nth 1 (line 174, `return int(gains.argmax())`). _inner_homography (Chum's innerH) calls _best_candidate once
# per DEGENSAC recovery of an H-degenerate record setter (RANSAC('fundamental', degensac=True) on a scene with a
# dominant plane); gains is the float64 (60,) candidate-gain tensor and alive a bool mask. bool() and int() of 0-d
# tensors are implicit .item() calls: plain torch.compile breaks at both lines (GB0124). The real function on the real
# arguments, captured from the real eager RANSAC; a compiled RANSAC(degensac=True) reports breaks at lines 172 and 174.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia.geometry.ransac as R
import kornia.geometry._degensac as D

captured = []
_orig = D._best_candidate
D._best_candidate = lambda *args: captured.append(args) or _orig(*args)

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
R.RANSAC("fundamental", degensac=True, seed=0)(kp1, kp2)
gains, alive = captured[0]
print("captured:", tuple(gains.shape), gains.dtype, alive.dtype)
check(_orig, gains, alive, mode="default")
