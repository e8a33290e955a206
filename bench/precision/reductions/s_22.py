# monai networks/nets/basic_unet.py:161 `if x_e is not None and torch.jit.isinstance(x_e, torch.Tensor):` (UpCat.forward,
# every decoder stage of BasicUNet passes the encoder features) and networks/nets/netadapter.py:112
# `elif torch.jit.isinstance(x, dict[str, torch.Tensor]):` (NetAdapter.forward, reached whenever the backbone returns a
# tensor, not a tuple) (CA122). torch.jit.isinstance is TorchScript's runtime type check; Dynamo marks it as skipped
# and breaks the graph (GB0007): fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class UpCat(torch.nn.Module):
    def forward(self, x, x_e):
        x_0 = x * 2
        if x_e is not None and torch.jit.isinstance(x_e, torch.Tensor):
            x = torch.cat([x_e, x_0], dim=1)
        else:
            x = x_0
        return x


check(UpCat(), torch.ones(1, 2, 4), torch.ones(1, 2, 4))
