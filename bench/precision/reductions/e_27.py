# e_27: torchao torchao/_models/sam2/modeling/memory_attention.py:125 (CA101 assert isinstance(curr_pos, list))
# SAM2Base._prepare_memory_conditioned_features calls memory_attention(curr=current_vision_feats,
# curr_pos=current_vision_pos_embeds, ...) with Python lists of tensors; the check runs before the
# curr_pos[0] unpacking (the .transpose named by the linter is a later rebinding).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

seen = {}


def memory_attention_forward(curr, memory, curr_pos=None, memory_pos=None, num_obj_ptr_tokens=0):
    if isinstance(curr, list):
        seen['curr_pos'] = curr_pos
        assert isinstance(curr_pos, list)
        assert len(curr) == len(curr_pos) == 1
        curr, curr_pos = curr[0], curr_pos[0]
    return (curr + 0.1 * curr_pos).transpose(0, 1)


current_vision_feats = [torch.randn(64, 1, 32)]
current_vision_pos_embeds = [torch.randn(64, 1, 32)]
current_vision_feats = [c.clone() for c in current_vision_feats]
current_vision_pos_embeds = [c.clone() for c in current_vision_pos_embeds]
memory_attention_forward(curr=current_vision_feats, curr_pos=current_vision_pos_embeds,
                         memory=torch.randn(16, 1, 32), memory_pos=torch.randn(16, 1, 32))
v = seen['curr_pos']
print("curr_pos type at the assert:", type(v).__name__)
claim(isinstance(v, torch.Tensor) and not isinstance(v, list),
      "curr_pos is a list of tensors from SAM2Base, so the assert is live (and true)")
