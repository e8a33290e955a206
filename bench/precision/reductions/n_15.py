# kornia/feature/aliked/aliked.py CA111 nth 1 (line 289, DKD.forward: `indices_keypoints = [topk.indices[i]
# [topk.values[i] > float("-inf")] for i in range(b)]`). ALIKED(max_num_keypoints=N, detection_threshold<=0), the
# documented top-k mode, builds DKD(top_k=N); each forward then indexes every image's top-k indices with the bool mask
# of its finite scores, a read of data-dependent length: plain torch.compile breaks (GB0036, dynamic shape operator).
# Real DKD as ALIKED builds it in top-k mode.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
from kornia.feature.aliked.aliked import DKD

dkd = DKD(radius=2, top_k=64, scores_th=0.0, n_limit=64)  # ALIKED(max_num_keypoints=64, detection_threshold=0.0)
check(dkd, torch.rand(2, 1, 32, 32), mode="default")
