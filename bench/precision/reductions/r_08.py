# sentence_transformers sentence_transformer/modules/pooling.py:132 CA102
# `prompt_length = int(pl[0].item()) if isinstance(pl, torch.Tensor) else int(pl)`.
# In sentence-transformers 6.2 features["prompt_length"] only comes from Transformer.preprocess
# (`processor_output["prompt_length"] = prompt_length`, the int returned by _get_prompt_length), both for encode()
# and for training (the data collator calls the same preprocess_fn with prompt=...). So pl is a Python int, the
# .item() branch (kept for older tensor-valued prompt_length columns) is not taken, and the line compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def pooling_forward_start(features, include_prompt=False):
    token_embeddings = features["token_embeddings"]
    prompt_length = None
    if not include_prompt and "prompt_length" in features:
        pl = features["prompt_length"]
        prompt_length = int(pl[0].item()) if isinstance(pl, torch.Tensor) else int(pl)
    return token_embeddings[:, prompt_length:].sum(1)


features = {"token_embeddings": torch.randn(2, 7, 8), "attention_mask": torch.ones(2, 7, dtype=torch.long),
            "prompt_length": 3, "modality": "text"}
check(pooling_forward_start, features, mode="default")
