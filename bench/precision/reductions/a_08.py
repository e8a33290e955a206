# diffusers/models/autoencoders/autoencoder_kl_kvae_video.py:452 CA102: time_factor = time_factor.item()
# time_factor = 1.0 + 1.0 * (input.size(2) > 1) is a Python float (size() is an int), so the
# isinstance(time_factor, torch.Tensor) guard is False and the .item() is dead code: nothing breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def temporal_upsample(input):
    time_factor = 1.0 + 1.0 * (input.size(2) > 1)
    if isinstance(time_factor, torch.Tensor):
        time_factor = time_factor.item()
    repeated = input.repeat_interleave(int(time_factor), dim=2)
    return repeated[..., int(time_factor - 1):, :, :]


check(temporal_upsample, torch.randn(1, 4, 3, 8, 8), mode="default")
