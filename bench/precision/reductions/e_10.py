# e_10: timm timm/models/gemma4_vit.py:903 (CA101 `x if not isinstance(x, dict) else x['patches']`)
# in Gemma4VitEncoder.forward: x is the model input (Tensor or NaFlex dict), tested before any rebinding.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

seen = {}


def encoder_forward(x, patch_coord=None, patch_valid=None):
    seen['x'] = x
    raw = x if not isinstance(x, dict) else x['patches']
    return raw.sum()


naflex_batch = {
    'patches': torch.randn(2, 16, 48),
    'patch_coord': torch.zeros(2, 16, 2, dtype=torch.long),
    'patch_valid': torch.ones(2, 16, dtype=torch.bool),
}
encoder_forward(naflex_batch)
x = seen['x']
print("x type at the check:", type(x).__name__)
claim(isinstance(x, torch.Tensor) and not isinstance(x, dict),
      "x is the forward input, a dict for NaFlex batches, so the check is live")
