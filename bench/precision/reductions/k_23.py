# kornia/feature/scale_space_detector.py CA110 nth 1 (line 515, ScaleSpaceDetector._process_octave, B == 1 path of
# every forward on a single image): nms_idx = mask_flat[0].nonzero(as_tuple=True)[0] on the bool NMS-candidate mask
# has a data-dependent length; it is outside the detector's own _dynamo_config_patch scopes (which enable
# capture_dynamic_output_shape_ops only around compiled sub-modules), so plain torch.compile of the detector
# breaks there (real ScaleSpaceDetector with its defaults).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import ScaleSpaceDetector

det = ScaleSpaceDetector(num_features=50)
check(det, torch.rand(1, 1, 64, 64), mode="default")
