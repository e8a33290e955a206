# diffusers diffusers/models/transformers/transformer_nucleusmoe_image.py:217 CA106 nth 1 -- int(max_txt_seq_len)
# diffusers diffusers/models/transformers/transformer_qwenimage.py:290 CA106 nth 1 -- int(max_txt_seq_len)
# diffusers diffusers/models/transformers/transformer_qwenimage.py:418 CA106 nth 2 -- int(max_txt_seq_len)
# Every caller passes max_txt_seq_len=text_seq_len, which compute_text_seq_len_from_mask takes from
# encoder_hidden_states.shape[:2]: a Python int (SymInt when dynamic), not a tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

pos_freqs = torch.rand(1024, 16)


def compute_text_seq_len_from_mask(encoder_hidden_states, encoder_hidden_states_mask):
    batch_size, text_seq_len = encoder_hidden_states.shape[:2]
    return text_seq_len, encoder_hidden_states_mask


def pos_embed(img_shapes, max_txt_seq_len):
    frame, height, width = img_shapes[0]
    max_vid_index = max(height // 2, width // 2, 0)
    max_txt_seq_len_int = int(max_txt_seq_len)
    return pos_freqs[max_vid_index : max_vid_index + max_txt_seq_len_int, ...]


def forward(encoder_hidden_states, mask):
    text_seq_len, mask = compute_text_seq_len_from_mask(encoder_hidden_states, mask)
    return pos_embed([(1, 32, 32)], max_txt_seq_len=text_seq_len)


check(forward, torch.rand(1, 77, 64), torch.ones(1, 77, dtype=torch.bool), mode="default")
