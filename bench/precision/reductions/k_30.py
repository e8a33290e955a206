# kornia/feature/sift/scale_space.py CA110 nth 1 (line 545, _SIFTScaleSpaceDetector._detect_with_pyramid, every
# forward of the pyramid backend): idx = (b == batch).nonzero().flatten(), b the int64 batch ids of the detections
# of all octaves; the nonzero has a data-dependent length and plain torch.compile breaks (lines 544-550 copied).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch


def per_image(b, response, num_feats: int, bsz: int):
    out = torch.zeros(bsz, num_feats)
    for batch in range(bsz):
        idx = (b == batch).nonzero().flatten()
        if idx.numel() == 0:
            continue
        take = idx[response[idx].topk(min(num_feats, idx.numel())).indices]
        out[batch, : take.numel()] = response[take]
    return out


check(per_image, torch.tensor([0, 0, 1, 1, 1, 0]), torch.rand(6), 2, 2, mode="default")
