# kornia/feature/aliked/aliked.py CA110 nth 1 (line 303, DKD.forward): ALIKED's default detection_threshold=0.2
# builds DKD(top_k=-1), i.e. threshold mode, so every forward runs indices = mask.nonzero()[:, 0] on the bool mask
# of each image; plain torch.compile breaks at the nonzero (real DKD, as ALIKED builds it by default).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.aliked.aliked import DKD

dkd = DKD(radius=2, top_k=-1, scores_th=0.2, n_limit=20000)
check(dkd, torch.rand(1, 1, 32, 32), mode="default")
