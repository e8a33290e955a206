# x_transformers/continuous.py:385 CA102: max_end_pos = seq_end_pos.amax().item() in
# ContinuousAutoregressiveWrapper.forward (rollout training loss). seq_end_pos = seq_start_pos + steps is a Tensor
# (random start positions), so .item() graph-breaks in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def crop(x, valid_tokens_for_rollout, steps: int):
    batch = x.shape[0]
    seq_start_pos = (torch.rand((batch,), device=x.device) * valid_tokens_for_rollout).floor().long()
    seq_end_pos = seq_start_pos + steps
    max_end_pos = seq_end_pos.amax().item()
    x = x[:, :max_end_pos]
    return x, seq_end_pos


check(crop, torch.randn(2, 16, 4), torch.tensor([10, 12]), 3, mode="default")
