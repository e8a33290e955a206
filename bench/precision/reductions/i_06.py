# vit_pytorch/levjepa.py CA207 nth 1 (line 188, Attention.forward) and vit_pytorch/levjepa_nd.py CA207
# nth 1 (line 91, nd_attention, used by NDTransformer's Attention): nothing in these files (or callers)
# compiles the model or flex_attention - only the small mask function is torch.compile'd in levjepa.py -
# so flex_attention runs eagerly on the unfused path (PyTorch itself warns so).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
from torch import nn
from torch.nn.attention.flex_attention import flex_attention, create_block_mask


class Attention(nn.Module):
    def __init__(self, dim, heads = 2, dim_head = 8):
        super().__init__()
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, heads * dim_head * 3, bias = False)

    def forward(self, x, block_mask):
        b, n, _ = x.shape
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim = -1))
        out = flex_attention(q, k, v, block_mask = block_mask, scale = self.scale)
        return out.transpose(1, 2).reshape(b, n, -1)


attn = Attention(16)
x = torch.randn(2, 32, 16)
bm = create_block_mask(lambda b, h, q, kv: q >= kv, 2, 2, 32, 32, device = 'cpu')
with warnings.catch_warnings(record = True) as w:
    warnings.simplefilter("always")
    with torch.no_grad():  # CPU flex has no backward; on GPU training runs the same eager path
        attn(x, bm)  # as in the library's own quick run: learner(video) with no torch.compile
eager = any("without torch.compile" in str(m.message) for m in w)
claim(eager, "flex_attention ran on the eager unfused path: %s" % eager)
