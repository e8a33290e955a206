# kornia/geometry/_degensac.py CA106 nth 1 and nth 2 (line 249, _repeats_plane: `return any(float((plane & other)
# .sum()) >= _SAME_PLANE * float((plane | other).sum()) for other in seen)`) and nth 1 and nth 2 (line 259,
# _inside_plane: `... float((inliers & plane).sum()) >= _SAME_PLANE * float(inliers.sum()) ...`).
# RANSAC._degensac_recover (degensac=True) calls both for each H-degenerate record setter with the bool (N,) inlier
# masks and the planes already searched in the call; once a plane is in `seen` (every recovery after the first, e.g.
# a scene with two planes) float() of the 0-d counts is an implicit .item(): plain torch.compile breaks (GB0124). The
# real functions on the real arguments captured from the real eager RANSAC on a two-plane scene (both with a
# non-empty seen); a compiled RANSAC(degensac=True) reports breaks at lines 249 and 259.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia.geometry.ransac as R
import kornia.geometry._degensac as D

captured = {}
for name in ("_repeats_plane", "_inside_plane"):
    def spy(mask, seen, _orig=getattr(R, name), _name=name):
        if seen and _name not in captured:
            captured[_name] = (mask, list(seen))
        return _orig(mask, seen)
    setattr(R, name, spy)

# two planes (100 points at depth 6, 70 on a slanted plane) and 30 points off them, seen by two cameras 0.5 apart
g = torch.Generator().manual_seed(0)
plane = torch.cat([torch.rand(100, 2, generator=g) * 4 - 2, torch.full((100, 1), 6.0)], 1)
xy = torch.rand(70, 2, generator=g) * 4 - 2
plane2 = torch.cat([xy, 4.0 + 0.8 * xy[:, :1]], 1)
off = torch.cat([torch.rand(30, 2, generator=g) * 4 - 2, torch.rand(30, 1, generator=g) * 20 + 2], 1)
X = torch.cat([plane, plane2, off]).double()
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
(plane, seen), (inliers, seen2) = captured["_repeats_plane"], captured["_inside_plane"]
print("captured:", tuple(plane.shape), plane.dtype, len(seen), "seen planes;", tuple(inliers.shape), len(seen2))
check(lambda: (D._repeats_plane(plane, seen), D._inside_plane(inliers, seen2)), mode="default")
