# CA106 bool() of a tensor in kornia/geometry/ransac.py _forward_lm (the default path of RANSAC() for
# homographies and fundamental / essential matrices): nth 1 (line 1407, `if not bool(finite.any())`, finite the
# (N,) bool mask of finite host keypoints) and nth 1 (line 1515, `if not bool(torch.isfinite(model).all())`). An
# implicit .item(): plain torch.compile breaks (a compiled RANSAC() reports the break at line 1407).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(kp1, kp2):
    kp1_host, kp2_host = kp1.detach().to("cpu").double(), kp2.detach().to("cpu").double()
    finite = torch.isfinite(kp1_host).all(1) & torch.isfinite(kp2_host).all(1)
    if not bool(finite.any()):
        return kp1_host.new_zeros(3, 3)
    return kp1_host.T @ kp2_host


check(f, torch.rand(20, 2), torch.rand(20, 2), mode="default")
