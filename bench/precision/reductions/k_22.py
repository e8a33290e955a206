# kornia/feature/matching.py CA111 nth 2 (line 494), nth 2 (line 497), nth 1 (line 498) and nth 1 and 2
# (line 506), match_fginn (GeometryAwareDescriptorMatcher("fginn"), line 506 with its documented mutual=True):
# mask = ratio <= th and good_mask = matches_idxs[:, 0] == ... are bool Tensors; ratio[mask], arange(...)[mask],
# idxs_in_2[mask], match_dists[good_mask] and matches_idxs[good_mask] have data-dependent lengths and plain
# torch.compile breaks (real GeometryAwareDescriptorMatcher).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import GeometryAwareDescriptorMatcher, laf_from_center_scale_ori

m = GeometryAwareDescriptorMatcher("fginn", {"th": 0.95, "mutual": True})
lafs1 = laf_from_center_scale_ori(torch.rand(1, 12, 2) * 100, torch.full((1, 12, 1, 1), 4.0), torch.zeros(1, 12, 1))
lafs2 = laf_from_center_scale_ori(torch.rand(1, 16, 2) * 100, torch.full((1, 16, 1, 1), 4.0), torch.zeros(1, 16, 1))
check(m, torch.randn(12, 8), torch.randn(16, 8), lafs1, lafs2, mode="default")
