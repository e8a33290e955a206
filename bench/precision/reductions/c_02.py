# Reduces: timm timm/models/gemma4_vit.py:436 CA208 and :437 CA208 (k/v.repeat_interleave(self.num_kv_groups))
# Gemma4VitAttention: num_kv_heads defaults to None -> num_kv_heads = num_heads, and none of the registered
# gemma4_vit_* configs (_167M_ARCH, _570M_ARCH) passes num_kv_heads, so num_kv_groups == 1 and the
#  branch holding the repeat_interleave never runs.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

def num_kv_groups(num_heads, num_kv_heads=None):  # Gemma4VitAttention.__init__
    num_kv_heads = num_kv_heads or num_heads
    return num_heads // num_kv_heads

_167M_ARCH = dict(embed_dim=768, depth=16, num_heads=12, head_dim=64)
_570M_ARCH = dict(embed_dim=1152, depth=27, num_heads=16, head_dim=72)
groups = [num_kv_groups(a["num_heads"], a.get("num_kv_heads")) for a in (_167M_ARCH, _570M_ARCH)]
print("num_kv_groups per registered config:", groups)
claim(any(g > 1 for g in groups), "the repeat_interleave branch is reached (copies K/V heads) in a shipped config")
