# diffusers/models/transformers/transformer_qwenimage21.py CA110 (line 842, build_token_metadata, and line 963,
# forward when encoder_hidden_states_mask is given, as the pipeline always does): image_pad_mask is the bool
# (seq_len,) image-position mask; .nonzero(as_tuple=True)[0] of it (or of ~it) has a data-dependent size: plain
# torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def positions(image_pad_mask):
    image_positions = image_pad_mask.nonzero(as_tuple=True)[0]
    text_positions = (~image_pad_mask).nonzero(as_tuple=True)[0]
    return image_positions, text_positions


check(positions, torch.tensor([False, True, True, True, True, False, False]), mode="default")
