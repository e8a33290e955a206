# kornia geometry/ransac.py:782 `return kp1[mask], kp2[mask]` and :797 `return models[mask]` (CA111): RANSAC.forward
# (model_type="homography", the default) filters the minimal samples that are valid for a homography and the
# estimated models that are finite, both by boolean masks: data-dependent sizes, graph breaks in plain
# torch.compile (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def verify_and_filter(kp1, kp2, models):
    mask = (kp1 - kp2).abs().sum(dim=(-2, -1)) > 0.1
    kp1, kp2 = kp1[mask], kp2[mask]
    good = torch.isfinite(models).all(dim=-1).all(dim=-1) & (models.abs().amax(dim=(-2, -1)) > 0)
    return kp1, kp2, models[good]


check(verify_and_filter, torch.rand(8, 4, 2), torch.rand(8, 4, 2), torch.rand(8, 3, 3), mode="default")
