# sentence_transformers sentence_transformer/modules/pooling.py:287 CA110
# `offsets = torch.repeat_interleave(cu_seq_lens_q[:-1], seq_lengths)`.
# On FA2-unpadded batches (attn_implementation="flash_attention_2", text inputs: flattened by default) Pooling's
# _forward_flattened runs inside the model.compile()'d forward; with pooling_mode "weightedmean" (or a prompt with
# include_prompt=False) it computes token positions with repeat_interleave by the int32 per-sequence lengths, whose
# output size is data-dependent: plain torch.compile breaks at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def forward_flattened(token_embeddings, features, modes=("weightedmean",), prompt_length=None):
    all_embeddings = token_embeddings.squeeze(0)
    cu_seq_lens_q = features["cu_seq_lens_q"]
    seq_lengths = cu_seq_lens_q[1:] - cu_seq_lens_q[:-1]
    num_seqs = seq_lengths.shape[0]
    hidden_dim = all_embeddings.shape[1]
    device = all_embeddings.device
    embeddings = all_embeddings
    segment_ids = features["seq_idx"].squeeze(0).long()
    if prompt_length or "weightedmean" in modes:
        offsets = torch.repeat_interleave(cu_seq_lens_q[:-1], seq_lengths)
        token_positions = torch.arange(all_embeddings.shape[0], device=device) - offsets
    weights = (token_positions + 1).to(embeddings.dtype).unsqueeze(1)
    weighted_sum = torch.zeros(num_seqs, hidden_dim, device=device).index_add(0, segment_ids, embeddings * weights)
    weight_sum = torch.zeros(num_seqs, 1, device=device).index_add(0, segment_ids, weights)
    return weighted_sum / torch.clamp(weight_sum, min=1e-9)


cu = torch.tensor([0, 5, 8, 15], dtype=torch.int32)
features = {"cu_seq_lens_q": cu, "cu_seq_lens_k": cu, "max_length_q": 7, "max_length_k": 7,
            "seq_idx": torch.tensor([[0] * 5 + [1] * 3 + [2] * 7], dtype=torch.int32)}
check(forward_flattened, torch.randn(1, 15, 8), features, mode="default")
