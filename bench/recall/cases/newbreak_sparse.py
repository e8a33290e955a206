"""Sparse tensor ops in a graph convolution (GCN layer with a COO adjacency)."""

import torch
from torch import nn


class GCNLayer(nn.Module):
    def __init__(self, dim: int = 4):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, adj):
        adj_sp = adj.to_sparse()
        return torch.sparse.mm(adj_sp, self.fc(x))


model = torch.compile(GCNLayer())


def case_sparse():
    adj = (torch.rand(5, 5) > 0.6).float()
    return model._orig_mod, (torch.randn(5, 4), adj)
