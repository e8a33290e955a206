# vit_pytorch/cait.py CA115 nth 1 (line 23) and vit_pytorch/xcit.py CA115 nth 1 (line 34), dropout_layers:
# rand_index = randrange(num_layers), num_layers = len(layers) a Python int. Dynamo 2.13 traces
# random.randrange (it is in its supported set of random functions; the draw becomes an unbacked int), so
# the flagged line itself compiles under fullgraph=True (shown here). In the library it is only reached
# with the non-default layer_dropout > 0 and inside `if all(to_drop)` on a bool Tensor, which already
# fails first (data-dependent branching); the following `to_drop[rand_index] = False` would then fail on
# the unbacked index - neither is the "cannot trace the global RNG" break the finding claims.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from random import randrange


def f(x, layers):
    num_layers = len(layers)
    rand_index = randrange(num_layers)
    return x + rand_index


check(f, torch.randn(3), torch.nn.ModuleList([torch.nn.Identity() for _ in range(6)]))
