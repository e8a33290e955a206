# kornia/feature/integrated.py CA113 nth 1 (line 174, get_laf_descriptors): warnings.warn only under
# `if lafs.shape[1] == 0`, a static shape check for an empty LAF set. The detectors feeding it return a fixed
# num_features LAFs, so in normal use N > 0 and the branch is not traced: the real LAFDescriptor(SIFTDescriptor)
# on a non-empty LAF set compiles with fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import LAFDescriptor, SIFTDescriptor, laf_from_center_scale_ori

desc = LAFDescriptor(SIFTDescriptor(32), patch_size=32)
centers = torch.tensor([[[20.0, 20.0], [40.0, 30.0], [30.0, 45.0]]])
lafs = laf_from_center_scale_ori(centers, torch.full((1, 3, 1, 1), 6.0), torch.zeros(1, 3, 1))
check(desc, torch.rand(1, 1, 64, 64), lafs)
