# sentence_transformers sentence_transformer/modules/pooling.py:293-295 CA111 `embeddings = all_embeddings[valid]`,
# `segment_ids = segment_ids[valid]`, `token_positions = token_positions[valid]`.
# FA2-unpadded batch (flattened by default with flash_attention_2) + Pooling(include_prompt=False) + encode with a
# prompt (int prompt_length): _forward_flattened, inside the model.compile()'d forward, drops the prompt tokens with
# the bool mask valid = token_positions >= prompt_length; each mask read has a data-dependent size. In plain
# torch.compile each of the three lines breaks in turn (after the repeat_interleave of line 287): 4 breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def forward_flattened(token_embeddings, features, prompt_length):
    all_embeddings = token_embeddings.squeeze(0)
    cu_seq_lens_q = features["cu_seq_lens_q"]
    seq_lengths = cu_seq_lens_q[1:] - cu_seq_lens_q[:-1]
    num_seqs = seq_lengths.shape[0]
    hidden_dim = all_embeddings.shape[1]
    device = all_embeddings.device
    segment_ids = features["seq_idx"].squeeze(0).long()
    offsets = torch.repeat_interleave(cu_seq_lens_q[:-1], seq_lengths)
    token_positions = torch.arange(all_embeddings.shape[0], device=device) - offsets
    if prompt_length:
        effective_lengths = seq_lengths - prompt_length
        valid = token_positions >= prompt_length
        embeddings = all_embeddings[valid]
        segment_ids = segment_ids[valid]
        token_positions = token_positions[valid]
    mean_sum = torch.zeros(num_seqs, hidden_dim, device=device).index_add(0, segment_ids, embeddings)
    return mean_sum / torch.clamp(effective_lengths.unsqueeze(1), min=1e-9).to(mean_sum.dtype)


cu = torch.tensor([0, 5, 8, 15], dtype=torch.int32)
features = {"cu_seq_lens_q": cu, "cu_seq_lens_k": cu, "max_length_q": 7, "max_length_k": 7,
            "seq_idx": torch.tensor([[0] * 5 + [1] * 3 + [2] * 7], dtype=torch.int32)}
check(forward_flattened, torch.randn(1, 15, 8), features, 2, mode="default")
