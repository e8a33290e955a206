# monai/networks/nets/vista3d.py CA102 nth 1 (line 248, VISTA3D.connected_components_combine, called from
# forward during sliding-window point validation / prev_mask editing): _logits[i, 0, p[0], p[1], p[2]] is a
# 0-d float Tensor, and .item() on it breaks plain torch.compile
# (aten._local_scalar_dense, GB0033 here since p_coord is a Dynamo-traced ndarray; iterating that ndarray also breaks).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import numpy as np
import torch


def inside_points(_logits, point_coords):  # _logits = logits[mapping_index], taken in eager here
    inside = []
    for i in range(_logits.shape[0]):
        p_coord = point_coords[i].cpu().numpy().round().astype(int)
        inside_p = [_logits[i, 0, p[0], p[1], p[2]].item() > 0 for p in p_coord]
        inside.append(int(np.any(inside_p)))
    return torch.tensor(inside).to(_logits.device)


check(inside_points, torch.randn(1, 1, 8, 8, 8), torch.tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]), mode="default")
