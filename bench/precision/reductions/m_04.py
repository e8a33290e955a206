# monai/networks/nets/dints.py CA104 nth 1 (line 499, DiNTS.forward): self.node_a is a plain Tensor attribute
# (torch.ones((num_blocks + 1, num_depths)) in the search stage; the decoded 0/1 array in deployment).
# Dynamo lifts it as a graph input, so `if self.node_a[0][d]:` is data-dependent branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class DiNTSStem(nn.Module):
    def __init__(self, num_depths=3, num_blocks=4, node_a=None):
        super().__init__()
        self.num_depths = num_depths
        self.num_blocks = num_blocks
        self.node_a = torch.ones((num_blocks + 1, num_depths)) if node_a is None else node_a
        self.stem_down = nn.ModuleDict({str(d): nn.Conv2d(1, 4, 3, padding=1) for d in range(num_depths)})

    def forward(self, x):
        inputs = []
        for d in range(self.num_depths):
            x_out = self.stem_down[str(d)].forward(x)
            if self.node_a[0][d]:
                inputs.append(x_out)
            else:
                inputs.append(torch.zeros_like(x_out))
        return torch.stack(inputs).sum(0)


check(DiNTSStem(), torch.randn(1, 1, 8, 8))
