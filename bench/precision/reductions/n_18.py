# kornia/geometry/_degensac.py, _h_degenerate_samples (DEGENSAC's batched H-degeneracy test, run by
# RANSAC._degensac_batch for every batch with raw record setters when degensac=True, the documented option for
# fundamental matrices): CA110 nth 1 (line 123, `rows = torch.isfinite(H).flatten(1).all(1).nonzero().flatten()`),
# CA110 nth 1 and CA103 nth 1 (line 133, `for row in degenerate.nonzero().flatten().tolist():`) and CA106 nth 1
# (line 134, `owner = int(owners[row])`). .nonzero() of the bool masks has a data-dependent size (GB0036), .tolist()
# of the int64 result and int() of an int64 element read tensor data into Python (GB0033 / GB0124): each breaks plain
# torch.compile. The real function on the real arguments, captured from the real RANSAC('fundamental', degensac=True)
# on a dominant-plane scene; under torch.compile Dynamo reports its breaks at lines 123, 133 and 134.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia.geometry.ransac as R
from kornia.geometry._degensac import _h_degenerate_samples

captured = []
R._h_degenerate_samples = lambda *args: captured.append(args) or _h_degenerate_samples(*args)

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
F, x1, x2, threshold = captured[0]
print("captured:", tuple(F.shape), F.dtype, tuple(x1.shape), threshold)
check(_h_degenerate_samples, F, x1, x2, threshold, mode="default")
