# kornia/geometry/homography.py CA113 nth 1 (line 622, _svd_null_vector: `warnings.warn("SVD did not converge",
# RuntimeWarning, stacklevel=1)`). The warning is the `except RuntimeError:` handler of the SVD of the (B, 9, 9)
# normal matrices, whose non-finite rows were already replaced by zeros: it runs only if the SVD raises on a finite
# batch (an error path). Dynamo traces the `try` body and never the handler, so the compiled DLT solver (svd, as
# DEGENSAC's find_homography_dlt(..., solver="svd") and the DLT homography fits call it) compiles whole under
# fullgraph=True. Real function, on normal matrices with a non-finite one in the batch.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
from kornia.geometry.homography import _svd_null_vector

A = torch.randn(4, 12, 9, dtype=torch.float64)
normal = A.mT @ A
normal[2, 0, 0] = float("nan")
check(_svd_null_vector, normal)
