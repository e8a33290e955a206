# transformers/models/whisper/modeling_whisper.py CA103 nth 1 (line 142, _compute_mask_indices):
# with apply_spec_augment=True in training, WhisperModel.forward passes attention_mask to _compute_mask_indices
# (the fine-tuning script requests it from the feature extractor exactly when SpecAugment is on): an int32 Tensor
# (batch, frames). `attention_mask.detach().sum(-1).tolist()` of an integer tensor breaks plain torch.compile
# (GB0033).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def lengths(attention_mask, batch_size, sequence_length):
    input_lengths = (
        attention_mask.detach().sum(-1).tolist()
        if attention_mask is not None
        else [sequence_length for _ in range(batch_size)]
    )
    return torch.tensor(input_lengths)


check(lengths, torch.ones(2, 100, dtype=torch.int32), 2, 100, mode="default")
