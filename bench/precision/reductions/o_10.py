# transformers/models/whisper/modeling_whisper.py CA115 nth 1 (line 161, _compute_mask_indices):
# in the per-sample loop of SpecAugment (apply_spec_augment=True, training), with Python-int input_length and
# num_masked_span (what they are once the earlier .item()/.tolist() breaks have made them concrete),
# `np.random.choice(np.arange(...), num_masked_span, replace=False)` fails under fullgraph=True at this line: Dynamo
# traces it into torch._numpy.random.choice, which guards on a data-dependent value (and plain torch.compile breaks
# on the same data-dependent operator, GB0033).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import numpy as np
import torch


def sample_spans(x, input_lengths, num_masked_span, mask_length):
    spec_aug_mask_idxs = []
    for input_length in input_lengths:
        spec_aug_mask_idx = np.random.choice(
            np.arange(input_length - (mask_length - 1)), num_masked_span, replace=False
        )
        spec_aug_mask_idxs.append(spec_aug_mask_idx)
    return x, spec_aug_mask_idxs


check(sample_spans, torch.randn(2, 8, 100), [100, 90], 5, 10)
