# Default mode (CA103's claim for integer tensors is GB0033 without fullgraph=True): the same reduction as c_15.py
# Reduces: torchtune torchtune/models/clip/inference/_transform.py:90 CA103 (target_size.tolist()) and :91 CA103 (canvas_size.tolist())
# _CLIPImageTransform.forward (export-oriented): target_size / canvas_size are torch.tensor(<tuple of ints>) -> int64;
# integer .tolist() becomes SymInts under fullgraph=True, bounded by torch._check as in check_variable_bounds_for_export.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

tile_size, max_num_tiles = 8, 4

def transform(image, target_size, canvas_size):
    target_h, target_w = target_size.tolist()
    canvas_h, canvas_w = canvas_size.tolist()
    lower, upper = 2, tile_size * max_num_tiles
    for var in [canvas_h, canvas_w]:
        torch._check(var >= lower)
        torch._check(var <= upper)
    for t, c in zip([target_h, target_w], [canvas_h, canvas_w]):
        torch._check(t >= lower)
        torch._check(t <= c)
    padding = [0, canvas_w - target_w, 0, canvas_h - target_h]
    output = torch.nn.functional.pad(image, padding)
    aspect_ratio = canvas_size // tile_size
    return output, aspect_ratio

check(transform, torch.randn(3, 12, 14), torch.tensor((12, 14)), torch.tensor((16, 16)), mode="default")
