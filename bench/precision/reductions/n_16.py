# kornia/feature/disk/detector.py CA110 nth 1 (line 51, heatmap_to_keypoints: `yx = nmsed[b].nonzero(as_tuple=False)`).
# DISK.forward calls heatmap_to_keypoints(heatmaps, n=n, ...) on the U-Net's (B, 1, H, W) heatmap every call; nmsed is
# the bool mask of strict local maxima above score_threshold, and .nonzero() of each image's mask has a data-dependent
# size: plain torch.compile breaks (GB0036, dynamic shape operator). Real heatmap_to_keypoints on a heatmap.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
from kornia.feature.disk.detector import heatmap_to_keypoints

check(lambda h: [k.xys for k in heatmap_to_keypoints(h, n=None, window_size=5, score_threshold=0.0)],
      torch.randn(2, 1, 32, 32), mode="default")
