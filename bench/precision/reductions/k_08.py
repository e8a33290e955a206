# kornia/enhance/adjust.py CA122 nth 1 and 2 (lines 468 and 469, adjust_gamma): struct.unpack(struct.pack(...))
# rounds float gamma/gain on the host only inside `if not torch.jit.is_tracing() and not is_compiling() and ...`;
# Dynamo folds is_compiling() to True, so the struct calls are never traced: the real adjust_gamma with Python-float
# gamma and gain on a float32 image compiles with fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.enhance import adjust_gamma

check(lambda x: adjust_gamma(x, 2.2, 0.9), torch.rand(1, 3, 4, 4))
