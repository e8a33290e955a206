# transformers/models/whisper/modeling_whisper.py CA102 nth 1 (line 123, _compute_mask_indices):
# WhisperModel.forward -> _mask_input_features -> _compute_mask_indices runs on every training forward when
# config.apply_spec_augment=True (the SpecAugment option of Whisper fine-tuning; mask_time_prob defaults to 0.05).
# `np.random.rand(1).item()`: Dynamo traces the NumPy call as a tensor (torch._numpy), and .item() of it is a
# data-dependent operator: plain torch.compile breaks at the line (fullgraph captures it as an unbacked float,
# which then fails at the int(...) of compute_num_masked_span).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import numpy as np
import torch


def head(input_features, mask_prob=0.05, mask_length=10, min_masks=2):
    batch_size, hidden_size, sequence_length = input_features.size()
    if mask_length > sequence_length:
        raise ValueError("mask_length too long")
    epsilon = np.random.rand(1).item()
    return input_features * epsilon


check(head, torch.randn(2, 8, 100), mode="default")
