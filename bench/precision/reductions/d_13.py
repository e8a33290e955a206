# diffusers diffusers/models/transformers/transformer_sana_wm.py:2182 CA106 nth 1
#   -- if token_valid_mask is not None and not bool(token_valid_mask.all()):
# token_valid_mask is the (B, T*S) float Tensor built by _prepare_frame_valid_masks when the model's
# frame_valid_mask input is given (None otherwise).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _prepare_frame_valid_masks(frame_valid_mask, batch_size, num_frames, spatial_size, dtype):
    if frame_valid_mask is None:
        return None
    mask = frame_valid_mask.to(dtype=dtype)
    return mask[:, :, None].expand(batch_size, num_frames, spatial_size).reshape(batch_size, -1)


def cam_attn(query, frame_valid_mask):
    batch_size = query.shape[0]
    token_valid_mask = _prepare_frame_valid_masks(frame_valid_mask, batch_size, 2, 4, query.dtype)
    invalid_kv_logit_bias = None
    if token_valid_mask is not None and not bool(token_valid_mask.all()):
        invalid_kv_logit_bias = torch.where(
            token_valid_mask.bool().view(batch_size, 1, 1, -1),
            torch.zeros((), dtype=query.dtype),
            torch.full((), -1e9, dtype=query.dtype),
        )
    return torch.nn.functional.scaled_dot_product_attention(query, query, query, attn_mask=invalid_kv_logit_bias)


check(cam_attn, torch.rand(1, 2, 8, 16), torch.tensor([[1.0, 0.0]]), mode="default")
