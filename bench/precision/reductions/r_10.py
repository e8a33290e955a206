# sentence_transformers sentence_transformer/modules/pooling.py:284 CA110
# `segment_ids = torch.repeat_interleave(torch.arange(num_seqs, device=device), seq_lengths)`.
# _forward_flattened runs only on FA2-unpadded batches, which Transformer builds with
# DataCollatorWithFlattening(return_seq_idx=True, return_flash_attn_kwargs=True, ...) (the GradCache minibatch
# slicer keeps seq_idx too): "seq_idx" is always in the features, so the `else:` with this repeat_interleave is not
# taken; the flattened mean pooling with seq_idx compiles whole in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def forward_flattened(token_embeddings, features, modes=("mean",), prompt_length=None):
    all_embeddings = token_embeddings.squeeze(0)
    cu_seq_lens_q = features["cu_seq_lens_q"]
    seq_lengths = cu_seq_lens_q[1:] - cu_seq_lens_q[:-1]
    num_seqs = seq_lengths.shape[0]
    hidden_dim = all_embeddings.shape[1]
    device = all_embeddings.device
    embeddings = all_embeddings
    effective_lengths = seq_lengths
    token_positions = None
    needs_scatter = any(m not in ("cls", "lasttoken") for m in modes)
    if needs_scatter:
        if "seq_idx" in features:
            segment_ids = features["seq_idx"].squeeze(0).long()
        else:
            segment_ids = torch.repeat_interleave(torch.arange(num_seqs, device=device), seq_lengths)
        if prompt_length or "weightedmean" in modes:
            offsets = torch.repeat_interleave(cu_seq_lens_q[:-1], seq_lengths)
            token_positions = torch.arange(all_embeddings.shape[0], device=device) - offsets
    out = []
    for mode in modes:
        if mode == "mean":
            mean_sum = torch.zeros(num_seqs, hidden_dim, device=device, dtype=embeddings.dtype)
            mean_sum = mean_sum.index_add(0, segment_ids, embeddings)
            out.append(mean_sum / torch.clamp(effective_lengths.unsqueeze(1), min=1e-9).to(mean_sum.dtype))
    return out


cu = torch.tensor([0, 5, 8, 15], dtype=torch.int32)  # DataCollatorWithFlattening output for lengths 5, 3, 7
features = {"cu_seq_lens_q": cu, "cu_seq_lens_k": cu, "max_length_q": 7, "max_length_k": 7,
            "seq_idx": torch.tensor([[0] * 5 + [1] * 3 + [2] * 7], dtype=torch.int32)}
check(forward_flattened, torch.randn(1, 15, 8), features, mode="default")
