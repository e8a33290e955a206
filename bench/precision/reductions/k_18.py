# kornia/feature/loftr/utils/coarse_matching.py CA110 nth 1 (line 287) and CA111 nth 1 (lines 352-355),
# CoarseMatching.get_coarse_match, run by every LoFTR.forward (inference branch): b_ids, i_ids =
# torch.where(mask_v) on the bool mutual-nearest-neighbour mask, then b_ids[mconf != 0], mkpts0_c[mconf != 0], ...
# index with bool Tensors; all have data-dependent lengths and plain torch.compile breaks (real CoarseMatching
# with LoFTR's default match_coarse config, eval mode).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.loftr.loftr import default_cfg
from kornia.feature.loftr.utils.coarse_matching import CoarseMatching

cm = CoarseMatching(default_cfg["match_coarse"]).eval()
h0c = w0c = h1c = w1c = 8
data = {"hw0_c": (h0c, w0c), "hw1_c": (h1c, w1c), "stride_c": 8}
conf = torch.rand(1, h0c * w0c, h1c * w1c).softmax(-1) * 40
check(cm.get_coarse_match, conf, data, mode="default")
