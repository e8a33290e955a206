# diffusers/models/transformers/transformer_cosmos3.py CA104 nth 1 (line 217, DomainAwareLinear.forward):
# `if torch.any((domain_id < 0) | (domain_id >= self.num_domains)):` - domain_id is the per-token
# LongTensor built by _pack_action_latents (torch.cat of expanded per-item domain ids).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class DomainAwareLinear(nn.Module):
    def __init__(self, input_size, output_size, num_domains):
        super().__init__()
        self.input_size, self.output_size, self.num_domains = input_size, output_size, num_domains
        self.fc = nn.Embedding(num_domains, output_size * input_size)
        self.bias = nn.Embedding(num_domains, output_size)

    def forward(self, x, domain_id):
        if domain_id.ndim == 0:
            domain_id = domain_id.unsqueeze(0)
        domain_id = domain_id.to(device=x.device, dtype=torch.long).reshape(-1)
        if x.shape[0] != domain_id.shape[0]:
            raise ValueError("batch mismatch")
        if torch.any((domain_id < 0) | (domain_id >= self.num_domains)):
            raise ValueError(f"domain_id must be in [0, {self.num_domains}), got {domain_id.tolist()}.")
        weight = self.fc(domain_id).view(domain_id.shape[0], self.input_size, self.output_size)
        bias = self.bias(domain_id).view(domain_id.shape[0], self.output_size)
        return torch.bmm(x.unsqueeze(1), weight).squeeze(1) + bias


m = DomainAwareLinear(8, 4, 3)
domain_ids = torch.cat([torch.tensor(1).reshape(1).expand(3), torch.tensor(2).reshape(1).expand(2)])
check(m, torch.randn(5, 8), domain_ids)
