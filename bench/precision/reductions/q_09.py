# diffusers/pipelines/ace_step/modeling_ace_step.py CA102 (lines 300 and 302, AceStepTimbreEncoder
# .unpack_timbre_embeddings, called by AceStepTimbreEncoder.forward, itself called by AceStepConditionEncoder.forward):
# refer_audio_order_mask is the int64 (N,) LongTensor the pipeline builds (torch.arange(batch_size)); both
# refer_audio_order_mask.max().item() and counts.max().item() (counts an int64 Tensor) break plain torch.compile
# (GB0124). Shown from the start of the helper (line 300) and from the point Dynamo resumes at (line 302).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def line_300(timbre_embs_packed, refer_audio_order_mask):
    B = int(refer_audio_order_mask.max().item() + 1)
    return timbre_embs_packed[:B]


def line_302(timbre_embs_packed, counts):
    max_count = counts.max().item()
    return timbre_embs_packed * max_count


mask = torch.arange(3, dtype=torch.long)
check(line_300, torch.randn(3, 8), mask, mode="default")
check(line_302, torch.randn(3, 8), torch.bincount(mask, minlength=3), mode="default")
