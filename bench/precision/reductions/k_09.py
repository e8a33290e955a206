# kornia/enhance/jpeg.py CA102 nth 1 and 2 (line 648) and nth 1 and 2 (line 651, inside the message lambda),
# jpeg_codec_differentiable: the jpeg_quality range check with .item() sits under `if not is_compiling():`,
# which Dynamo folds to False, and the message lambda is only called when the check fails; the real
# jpeg_codec_differentiable compiles in plain torch.compile without a break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.enhance import jpeg_codec_differentiable

check(jpeg_codec_differentiable, torch.rand(2, 3, 16, 16), torch.tensor([50.0, 90.0]), mode="default")
