# monai/networks/nets/vista3d.py CA102 nth 1 (line 400, VISTA3D.forward, point-only validation with labels
# and label_set): prompt_class comes from sample_points_patch_val as torch.tensor(label_set).unsqueeze(-1), a
# Tensor; prompt_class[0].item() breaks plain torch.compile (GB0124).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def sample_points_patch_val(labels, patch_coords, label_set):  # the sampler's return, points simplified
    point_coords = torch.zeros(len(label_set), 1, 3)
    point_labels = torch.ones(len(label_set), 1, dtype=torch.long)
    return point_coords, point_labels, torch.tensor(label_set).to(point_coords.device).unsqueeze(-1)


def forward_head(labels, patch_coords, label_set):
    point_coords, point_labels, prompt_class = sample_points_patch_val(labels, patch_coords[0], label_set)
    if prompt_class[0].item() == 0:
        point_labels[0] = -1
    return point_coords + 1, point_labels


check(forward_head, torch.zeros(1, 1, 8, 8, 8), [(slice(None),) * 5], [0, 3, 5], mode="default")
