# monai/networks/nets/vista3d.py CA104 nth 1 (line 207, VISTA3D.update_point_to_patch, called from forward
# when patch_coords (sliding-window inference) and user point_coords are given): indices is a bool Tensor
# (points inside the patch); `if indices.any():` is data-dependent branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def unsqueeze_left(arr, dim):  # monai.utils.unsqueeze_left
    return arr[(None,) * (dim - arr.ndim)] if dim > arr.ndim else arr


def update_point_to_patch(patch_coords, point_coords, point_labels):
    patch_ends = [patch_coords[-3].stop, patch_coords[-2].stop, patch_coords[-1].stop]
    patch_starts = [patch_coords[-3].start, patch_coords[-2].start, patch_coords[-1].start]
    patch_starts_tensor = unsqueeze_left(torch.tensor(patch_starts, device=point_coords.device), 2)
    patch_ends_tensor = unsqueeze_left(torch.tensor(patch_ends, device=point_coords.device), 2)
    indices = torch.logical_and(
        ((point_coords - patch_starts_tensor) > 0).all(2), ((patch_ends_tensor - point_coords) > 0).all(2)
    )
    point_coords = point_coords.clone() - patch_starts_tensor
    point_labels = point_labels.clone()
    if indices.any():
        point_labels[~indices] = -1
        point_coords[~indices] = 0
        not_pad_indices = (point_labels != -1).any(0)
        point_coords = point_coords[:, not_pad_indices]
        point_labels = point_labels[:, not_pad_indices]
        return point_coords, point_labels
    return None, None


patch = (slice(None), slice(None), slice(0, 32), slice(0, 32), slice(0, 32))
check(update_point_to_patch, patch, torch.tensor([[[10.0, 12.0, 5.0], [40.0, 3.0, 3.0]]]), torch.tensor([[1, 0]]))
