# vit_pytorch/vit_nd_masking.py CA207 nth 1 (line 92, nd_attention): nd_attention is the attention of
# vit_nd.py, vit_nd_rotary.py and vit_nd_pope.py, whose models the project itself wraps in
# torch.compile(model) (their quick-run examples; the helper's comments target "the compiled flex
# attention kernel"). Under that compiled model Dynamo captures flex_attention into the graph, so the
# call does not run eagerly in the intended use.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn
from torch.nn.attention.flex_attention import flex_attention, create_block_mask


def nd_attention(q, k, v, block_mask = None, scale = None):
    return flex_attention(q, k, v, block_mask = block_mask, scale = scale)


class Model(nn.Module):
    def __init__(self, dim = 16, heads = 2):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias = False)

    def forward(self, x, block_mask):
        b, n, _ = x.shape
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim = -1))
        return nd_attention(q, k, v, block_mask = block_mask, scale = 0.35)


graphs = []
def backend(gm, example_inputs):
    graphs.append(str(gm.graph))
    return gm.forward


bm = create_block_mask(lambda b, h, q, kv: q >= kv, 1, 1, 32, 32, device = 'cpu')
model = torch.compile(Model(), backend = backend)  # as vit_nd.py does: model = torch.compile(model)
with torch.no_grad():  # CPU flex has no backward
    model(torch.randn(2, 32, 16), bm)
captured = any("flex_attention" in g for g in graphs)
claim(not captured, "flex_attention captured in the compiled graph: %s" % captured)
