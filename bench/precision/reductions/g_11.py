# g_11: vector_quantize_pytorch vector_quantize_pytorch.py:1133 CA106 `topk = min(int(topk), self.codebook_size)`
# topk is not a Tensor: it is the number of codes to keep, a Python int (ResidualVQ passes
# topk = beam_size, an int; default None skips the line). int() of an int is a no-op for Dynamo.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class VQ(torch.nn.Module):
    codebook_size = 16

    def forward(self, x, topk=None):
        is_topk = topk is not None
        if is_topk:
            topk = min(int(topk), self.codebook_size)
            assert topk > 0
        dist = x @ torch.ones(x.shape[-1], self.codebook_size)
        return dist.topk(topk, dim=-1).indices if is_topk else dist.argmax(-1)


check(VQ(), torch.randn(2, 4), 4, mode="default")
