# torchvision torchvision/models/detection/roi_heads.py:223 CA106 nth 1 -- int(num_keypoints) in _onnx_heatmaps_to_keypoints_loop
# torchvision torchvision/models/detection/roi_heads.py:224 CA106 nth 1 -- same function
# heatmaps_to_keypoints only calls the ONNX loop under "if torchvision._is_tracing():" (i.e. torch._C._get_tracing_state(),
# TorchScript/ONNX tracing); under Dynamo that is None, so the int() of the scalar_tensor is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _is_tracing():  # torchvision._is_tracing
    return torch._C._get_tracing_state()


def _onnx_loop(maps, num_keypoints):
    xy_preds = torch.zeros((0, 3, int(num_keypoints)), dtype=torch.float32, device=maps.device)
    end_scores = torch.zeros((0, int(num_keypoints)), dtype=torch.float32, device=maps.device)
    return xy_preds, end_scores


def heatmaps_to_keypoints(maps, rois):
    num_keypoints = maps.shape[1]
    if _is_tracing():
        xy_preds, end_scores = _onnx_loop(maps, torch.scalar_tensor(num_keypoints, dtype=torch.int64))
        return xy_preds.permute(0, 2, 1), end_scores
    xy_preds = torch.zeros((len(rois), 3, num_keypoints), dtype=torch.float32, device=maps.device)
    end_scores = torch.zeros((len(rois), num_keypoints), dtype=torch.float32, device=maps.device)
    return xy_preds, end_scores


check(heatmaps_to_keypoints, torch.rand(3, 17, 56, 56), torch.rand(3, 4), mode="default")
