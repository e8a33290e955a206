# monai/networks/nets/dints.py CA104 nth 1 (line 513, DiNTS.forward, decoder loop): same Tensor attribute
# self.node_a; `elif self.node_a[blk_idx + 1][res_idx]:` (reached while start is False) is data-dependent
# branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class DiNTSUp(nn.Module):
    def __init__(self, num_depths=3, num_blocks=4, node_a=None):
        super().__init__()
        self.num_depths = num_depths
        self.num_blocks = num_blocks
        self.node_a = torch.ones((num_blocks + 1, num_depths)) if node_a is None else node_a
        self.stem_up = nn.ModuleDict({str(d): nn.Conv2d(4, 4, 3, padding=1) for d in range(num_depths)})
        self.stem_finals = nn.Conv2d(4, 2, 1)

    def forward(self, outputs):
        blk_idx = self.num_blocks - 1
        start = False
        _temp = torch.empty(0)
        for res_idx in range(self.num_depths - 1, -1, -1):
            _mod_up = self.stem_up[str(res_idx)]
            if start:
                _temp = _mod_up.forward(outputs[res_idx] + _temp)
            elif self.node_a[blk_idx + 1][res_idx]:
                start = True
                _temp = _mod_up.forward(outputs[res_idx])
        return self.stem_finals(_temp)


check(DiNTSUp(), [torch.randn(1, 4, 8, 8) for _ in range(3)])
