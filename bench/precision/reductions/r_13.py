# sentence_transformers sparse_encoder/modules/splade_pooling.py:145 CA103
# `cu_seq_lens = features["cu_seq_lens_q"].tolist()`. SpladePooling.forward takes _forward_flattened whenever the
# MLM transformer ran on an FA2-unpadded batch (flash_attention_2, text inputs: flattened by default), inside the
# model.compile()'d SparseEncoder forward. cu_seq_lens_q is an int32 (B + 1,) tensor and .tolist() of an integer
# tensor breaks plain torch.compile (GB0033, data-dependent operator), same as util/tensor.py (n_05).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def splade_forward_flattened(features, training=False, activation_function="relu"):
    flat_logits = features["token_embeddings"].squeeze(0)
    cu_seq_lens = features["cu_seq_lens_q"].tolist()
    pooled = []
    for start, end in zip(cu_seq_lens[:-1], cu_seq_lens[1:]):
        transformed = flat_logits[start:end].relu()
        transformed = transformed.log1p() if training else transformed.log1p_()
        pooled.append(torch.amax(transformed, dim=0))
    return torch.stack(pooled)


cu = torch.tensor([0, 5, 8, 15], dtype=torch.int32)
features = {"token_embeddings": torch.randn(1, 15, 30), "cu_seq_lens_q": cu, "max_length_q": 7}
check(splade_forward_flattened, features, mode="default")
