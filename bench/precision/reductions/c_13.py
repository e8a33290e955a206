# Reduces: diffusers diffusers/models/transformers/transformer_qwenimage21.py:689 CA103 (is_image_token = image_pad_mask.tolist())
# QwenImage21Rope.forward (called from the transformer's forward): image_pad_mask is a (seq_len,) bool Tensor;
# Dynamo only captures .tolist() of integer tensors, a bool tensor raises Unsupported under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def rope_index(img_shapes, image_pad_mask):
    frame_index = []
    cursor, position = 0, 0
    total_len = image_pad_mask.shape[-1]
    is_image_token = image_pad_mask.tolist()
    for _, height, width in img_shapes:
        block_start = is_image_token.index(True, cursor)
        text_len = block_start - cursor
        frame_index.extend(range(position, position + text_len))
        position += text_len
        cursor = block_start + height * width
        frame_index.extend([position] * (height * width))
        position += max(height, width)
    if cursor < total_len:
        frame_index.extend(range(position, position + total_len - cursor))
    return torch.tensor(frame_index, dtype=torch.long)

mask = torch.zeros(20, dtype=torch.bool); mask[5:17] = True
check(rope_index, [(1, 3, 4)], mask)
