# sentence_transformers/multi_vector_encoder/modules/token_pooling.py CA106 nth 1 (line 110, BaseTokenPooling.forward):
# a token-pooling module baked into a MultiVectorEncoder pipeline runs in the model.compile()'d forward; lengths is
# an int64 Tensor of the pooled row counts and int(lengths.max()) is an implicit .item(): plain torch.compile breaks
# (GB0124). Shown from the point Dynamo resumes after the per-row pooling (rows as inputs).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def repad(pooled_list):
    device = pooled_list[0].device
    padded = torch.nn.utils.rnn.pad_sequence(pooled_list, batch_first=True, padding_value=0.0)
    lengths = torch.as_tensor([row.shape[0] for row in pooled_list], device=device, dtype=torch.long)
    new_mask = torch.arange(int(lengths.max()), device=device).unsqueeze(0) < lengths.unsqueeze(1)
    return padded, new_mask


check(repad, [torch.randn(3, 8), torch.randn(5, 8)], mode="default")
