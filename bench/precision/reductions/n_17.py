# kornia/geometry/_degensac.py CA106 nth 1 (line 104, `if not bool(degenerate.any()):`), CA106 nth 1 and CA110 nth 1
# (line 106, `return refit[int(degenerate.nonzero()[0, 0])]`), all in _h_degenerate_sample. Its only caller is
# RANSAC._degensac_recover, under `if homography is None:`; and _degensac_recover's only caller, _degensac_batch,
# passes the homography that the batched _h_degenerate_samples found, after `if homography is None: continue`. So the
# function never runs in a compiled (or eager) RANSAC. Shown on the real RANSAC('fundamental', degensac=True) on a
# scene with a dominant plane, where DEGENSAC does recover record setters: _degensac_recover runs, always with a
# homography, and _h_degenerate_sample is never called.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia.geometry.ransac as R

calls = {"_h_degenerate_sample": 0, "_degensac_recover": 0, "recover_without_homography": 0}
_orig_sample, _orig_recover = R._h_degenerate_sample, R.RANSAC._degensac_recover


def _sample(*args, **kwargs):
    calls["_h_degenerate_sample"] += 1
    return _orig_sample(*args, **kwargs)


def _recover(self, *args, **kwargs):
    calls["_degensac_recover"] += 1
    homography = kwargs.get("homography", args[9] if len(args) > 9 else None)
    calls["recover_without_homography"] += homography is None
    return _orig_recover(self, *args, **kwargs)


R._h_degenerate_sample, R.RANSAC._degensac_recover = _sample, _recover

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


kp1 = (project(X) + 0.3 * torch.randn(200, 2, generator=g, dtype=torch.float64)).float()
kp2 = (project(X @ rot.T + t) + 0.3 * torch.randn(200, 2, generator=g, dtype=torch.float64)).float()
R.RANSAC("fundamental", degensac=True, seed=0)(kp1, kp2)
print(calls)
assert calls["_degensac_recover"] > 0
claim(calls["_h_degenerate_sample"] > 0, "_h_degenerate_sample runs when RANSAC(degensac=True) recovers record setters")
