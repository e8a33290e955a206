# Reduces: torchtune torchtune/modules/layer_dropout.py:86 CA110 (ind_selected = (skip == 0).nonzero().squeeze())
# LayerDropout.forward in training with prob > 0: skip is a float Tensor of Bernoulli draws; nonzero() has a
# data-dependent size -> graph break in default torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

prob = 0.5

def layer_dropout(input, skip):
    ind_selected = (skip == 0).nonzero().squeeze()
    x_selected = torch.index_select(input, 0, ind_selected)
    out = input.clone()
    out[ind_selected] = x_selected * 2
    return out

n = 8
skip = torch.bernoulli(torch.Tensor(n * [prob]), generator=torch.Generator().manual_seed(0)).to(torch.float32)
check(layer_dropout, torch.randn(n, 4, 16), skip, mode="default")
