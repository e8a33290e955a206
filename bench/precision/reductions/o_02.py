# diffusers/models/transformers/transformer_qwenimage21.py CA103 nth 1 (line 317, _qwenimage21_prefix_segments):
# QwenImage21Transformer2DModel.forward calls it on every prefill (kv_cache_mode != "cached") unless every block
# uses QwenImage21FlexAttnProcessor; the default processor is QwenImage21AttnProcessor, so it runs by default.
# image_ids is the int64 Tensor from build_token_metadata (-1 at text, a block id per image) and prefix_len a
# Python int (int((~target_token_mask).sum()), concrete after that earlier break). `.tolist()` of an integer
# tensor breaks plain torch.compile (GB0033); the loop then branches on the values.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _qwenimage21_prefix_segments(image_ids: torch.Tensor, prefix_len: int):
    prefix_ids = image_ids[:prefix_len].tolist()
    segments = []
    start = 0
    for index in range(1, prefix_len + 1):
        if index == prefix_len or prefix_ids[index] != prefix_ids[start]:
            segments.append((start, index, prefix_ids[start] < 0))
            start = index
    return segments


def forward_part(image_ids, prefix_len, hidden):
    segments = _qwenimage21_prefix_segments(image_ids, prefix_len)
    out = hidden
    for start, end, is_text in segments:
        out = out + hidden[start:end].sum()
    return out


image_ids = torch.tensor([-1, -1, -1, 0, 0, 0, 0, -1, -1, 1, 1, 1, 1], dtype=torch.long)
check(forward_part, image_ids, 9, torch.randn(13, 8), mode="default")
