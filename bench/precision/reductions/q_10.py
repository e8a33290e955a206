# diffusers/pipelines/ace_step/modeling_ace_step.py CA110 nth 1 (line 301, AceStepTimbreEncoder
# .unpack_timbre_embeddings in the timbre encoder forward): torch.bincount of the int64 refer_audio_order_mask has a
# data-dependent length (minlength is only a lower bound): plain torch.compile breaks (GB0036), also with B a Python
# int as after the preceding .item() break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def counts_of(refer_audio_order_mask, B):
    counts = torch.bincount(refer_audio_order_mask, minlength=B)
    return torch.cumsum(counts, dim=0)


check(counts_of, torch.arange(3, dtype=torch.long), 3, mode="default")
