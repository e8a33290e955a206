# e_11: timm timm/models/hrnet.py:946 (CA101 isinstance(x, list) in HighResolutionNet.forward_head)
# x = forward_features(...) output: with head='incre' / non-classification heads (incre_modules or
# downsamp_modules None) or after prune_intermediate_layers, forward_features returns `yl`, the list of
# branch outputs. (The global_pool call named by the linter is the code after the check.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class HRNetReduced(nn.Module):
    def __init__(self, head='incre'):
        super().__init__()
        self.branches = nn.ModuleList([nn.Conv2d(3, 4, 1), nn.Conv2d(3, 8, 1)])
        self.incre_modules = None if head != 'classification' else nn.ModuleList()
        self.downsamp_modules = None
        self.global_pool = nn.Identity()

    def forward_features(self, x):
        yl = [b(x) for b in self.branches]
        if self.incre_modules is None or self.downsamp_modules is None:
            return yl
        return yl[-1]

    def forward_head(self, x):
        self.seen = x
        if isinstance(x, list):
            return x
        return self.global_pool(x)


m = HRNetReduced(head='incre')
m.forward_head(m.forward_features(torch.randn(1, 3, 8, 8)))
print("forward_head input type:", type(m.seen).__name__)
claim(isinstance(m.seen, torch.Tensor) and not isinstance(m.seen, list),
      "forward_head receives the list of branch outputs for non-classification heads, so the check is live")
