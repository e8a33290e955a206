# sentence_transformers sentence_transformer/modules/pooling.py:162 CA104 `if pad_lengths.sum() == 0:`.
# Pooling(include_prompt=False) (required by INSTRUCTOR-style models, set by set_pooling_include_prompt(False)) with
# encode(..., prompt=...): features carry the int prompt_length, so the padded path calls
# _exclude_prompt_from_mask on every call; pad_lengths is an int32 Tensor and `if tensor.sum() == 0` is
# data-dependent branching: fullgraph fails (the model.compile()'d forward breaks here).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _exclude_prompt_from_mask(attention_mask, prompt_length):
    attention_mask = attention_mask.clone()
    pad_lengths = attention_mask.to(torch.int32).argmax(dim=1)
    if pad_lengths.sum() == 0:
        attention_mask[:, :prompt_length] = 0
    else:
        positions = torch.arange(attention_mask.size(1), device=attention_mask.device).unsqueeze(0)
        attention_mask[positions < (pad_lengths + prompt_length).unsqueeze(1)] = 0
    return attention_mask


def pooling_forward(features, include_prompt=False):
    token_embeddings = features["token_embeddings"]
    prompt_length = None
    if not include_prompt and "prompt_length" in features:
        pl = features["prompt_length"]
        prompt_length = int(pl[0].item()) if isinstance(pl, torch.Tensor) else int(pl)
    attention_mask = features["attention_mask"]
    if prompt_length:
        attention_mask = _exclude_prompt_from_mask(attention_mask, prompt_length)
    mask = attention_mask.unsqueeze(-1).to(token_embeddings.dtype)
    return (token_embeddings * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


mask = torch.ones(2, 7, dtype=torch.long); mask[1, 5:] = 0
features = {"token_embeddings": torch.randn(2, 7, 8), "attention_mask": mask, "prompt_length": 3}
check(pooling_forward, features)
