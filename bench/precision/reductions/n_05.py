# sentence_transformers/util/tensor.py CA103 nth 1 (line 263, repad_flattened_features: `cu = features["cu_seq_lens_q"]
# .tolist()`). MultiVectorMask.forward (the last module of a MultiVectorEncoder, ColBERT-style) calls it whenever the
# Transformer module ran with FA2 unpadding: with attn_implementation="flash_attention_2" and text-only inputs, the
# Transformer flattens the batch by default (DataCollatorWithFlattening) and the features carry cu_seq_lens_q, an
# int32 (B + 1,) tensor. With model.compile() (BaseModel.compile: "Compile the model's forward pass ... to speed up
# inference") MultiVectorMask.forward runs inside the compiled forward, and .tolist() of the integer tensor breaks
# plain torch.compile (GB0033, data-dependent operator).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def repad_flattened_features(features):
    cu = features["cu_seq_lens_q"].tolist()
    flat_emb = features["token_embeddings"][0]
    flat_ids = features["input_ids"][0]
    features["token_embeddings"] = torch.nn.utils.rnn.pad_sequence(
        [flat_emb[s:e] for s, e in zip(cu[:-1], cu[1:])], batch_first=True, padding_value=0.0
    )
    features["input_ids"] = torch.nn.utils.rnn.pad_sequence(
        [flat_ids[s:e] for s, e in zip(cu[:-1], cu[1:])], batch_first=True, padding_value=0
    )
    lengths = torch.tensor([e - s for s, e in zip(cu[:-1], cu[1:])], device=flat_emb.device)
    T_max = features["input_ids"].shape[1]
    features["attention_mask"] = torch.arange(T_max, device=flat_emb.device).unsqueeze(0) < lengths.unsqueeze(1)
    for key in ("cu_seq_lens_q", "cu_seq_lens_k", "max_length_q", "max_length_k", "seq_idx", "position_ids"):
        features.pop(key, None)
    return features


def multi_vector_mask_forward(features, task=None):  # MultiVectorMask.forward, start
    if "cu_seq_lens_q" in features:
        features = repad_flattened_features(features)
    return features["token_embeddings"], features["attention_mask"]


# three texts of 5, 3 and 7 tokens flattened FA2-style: (1, 15, D) embeddings, (1, 15) ids, cu_seq_lens (4,) int32
cu = torch.tensor([0, 5, 8, 15], dtype=torch.int32)
features = {"token_embeddings": torch.randn(1, 15, 16), "input_ids": torch.randint(5, 100, (1, 15)),
            "cu_seq_lens_q": cu, "cu_seq_lens_k": cu, "max_length_q": 7, "max_length_k": 7,
            "position_ids": torch.cat([torch.arange(5), torch.arange(3), torch.arange(7)])[None]}
check(multi_vector_mask_forward, features, mode="default")
