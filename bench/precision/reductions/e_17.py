# e_17: diffusers diffusers/models/transformers/transformer_helios.py:362 (CA107 str(device))
# device = hidden_states.device is a torch.device, not a tensor; str(torch.device) and
# torch.device(device_str) are constant-folded by Dynamo.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class HeliosRotaryPosEmbedReduced(nn.Module):
    @torch.no_grad()
    def _get_spatial_meshgrid(self, height, width, device_str):
        device = torch.device(device_str)
        grid_y_coords = torch.arange(height, device=device, dtype=torch.float32)
        grid_x_coords = torch.arange(width, device=device, dtype=torch.float32)
        return torch.meshgrid(grid_y_coords, grid_x_coords, indexing="ij")

    @torch.no_grad()
    def forward(self, frame_indices, height, width, device):
        batch_size, num_frames = frame_indices.shape[0], frame_indices.shape[1]
        frame_indices = frame_indices.to(device=device, dtype=torch.float32)
        grid_y, grid_x = self._get_spatial_meshgrid(height, width, str(device))
        grid_t = frame_indices[:, :, None, None].expand(batch_size, num_frames, height, width)
        return grid_t + grid_y[None, None] + grid_x[None, None]


def model_forward(hidden_states, indices, rope):
    _, _, f, h, w = hidden_states.shape
    return rope(frame_indices=indices, height=h, width=w, device=hidden_states.device)


check(model_forward, torch.randn(1, 4, 3, 6, 8), torch.arange(3).unsqueeze(0), HeliosRotaryPosEmbedReduced())
