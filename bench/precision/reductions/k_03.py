# kornia/contrib/extract_patches.py CA113 nth 1 (line 465): warnings.warn that `eps` is deprecated, issued only
# when a caller passes the deprecated no-op `eps` argument to combine_tensor_patches. CombineTensorPatches.forward
# (the module used in models) never passes it and the default is None, so in normal use the branch is not traced:
# the real module compiles with fullgraph=True (a fitting window, so the separate fit warning is not reached).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.contrib import ExtractTensorPatches, CombineTensorPatches

extract = ExtractTensorPatches(window_size=4, stride=2)
combine = CombineTensorPatches(original_size=(10, 10), window_size=4, stride=2)


def f(x):
    return combine(extract(x))


check(f, torch.randn(1, 1, 10, 10))
