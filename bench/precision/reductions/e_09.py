# e_09: timm timm/models/gemma4_vit.py:309 (CA101 isinstance(x, dict)) in the patch-embed forward.
# x is the forward input, typed Union[Tensor, Dict[str, Tensor]]: NaFlex batches arrive as
# {'patches', 'patch_coord', 'patch_valid'} dicts and are passed through unchanged by the encoder forward.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

seen = {}


def patch_embed_forward(x, patch_coord=None, patch_valid=None):
    seen['x'] = x
    if isinstance(x, dict):
        patch_coord = x.get('patch_coord', patch_coord)
        patch_valid = x.get('patch_valid', patch_valid)
        x = x['patches']
    return x.permute(0, 1, 4, 2, 3).reshape(x.shape[0], x.shape[1], -1)


naflex_batch = {
    'patches': torch.randn(2, 16, 4, 4, 3),
    'patch_coord': torch.zeros(2, 16, 2, dtype=torch.long),
    'patch_valid': torch.ones(2, 16, dtype=torch.bool),
}
patch_embed_forward(naflex_batch)
x = seen['x']
print("x type at the check:", type(x).__name__)
claim(isinstance(x, torch.Tensor) and not isinstance(x, dict),
      "x is the model input, a dict for NaFlex batches, so the dict branch is live")
