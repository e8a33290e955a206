# peft/tuners/shira/layer.py CA138 nth 1 (line 222, Linear.get_delta_weight): SHiRA's unmerged Linear.forward adds
# get_delta_weight(adapter) for every active adapter on each call, and get_delta_weight builds
# torch.sparse_coo_tensor(indices, weight * scaling, shape); Dynamo skips sparse_coo_tensor (GB0007) and
# fullgraph=True fails at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


class ShiraLinear(torch.nn.Module):
    def __init__(self, i=8, o=8, nnz=6):
        super().__init__()
        self.base_layer = torch.nn.Linear(i, o)
        self.in_features, self.out_features = i, o
        self.shira_weight = torch.nn.ParameterDict({"default": torch.nn.Parameter(torch.randn(nnz))})
        self.shira_indices = {"default": torch.stack([torch.arange(nnz), torch.arange(nnz)]).to(torch.int)}
        self.scaling = {"default": 1.0}
        self.active_adapters = ["default"]

    def get_delta_weight(self, adapter):
        self.shira_indices[adapter] = self.shira_indices[adapter].to(self.shira_weight[adapter].device)
        return torch.sparse_coo_tensor(
            self.shira_indices[adapter],
            self.shira_weight[adapter] * self.scaling[adapter],
            (self.out_features, self.in_features),
        )

    def forward(self, x):
        new_weight = self.base_layer.weight.clone()
        for active_adapter in self.active_adapters:
            if active_adapter not in self.shira_weight.keys():
                continue
            new_weight += self.get_delta_weight(active_adapter)
        return F.linear(x, new_weight, bias=self.base_layer.bias)


check(ShiraLinear(), torch.randn(2, 8))
