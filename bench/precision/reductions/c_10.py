# Reduces: diffusers diffusers/models/transformers/transformer_cosmos3.py:218 CA103 (domain_id.tolist() in a raise ValueError f-string)
# DomainAwareLinear.forward: the .tolist() only builds the error message of an out-of-range domain_id. With valid
# domain ids (normal use) the `if torch.any(...)` branch is not taken and the line is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch._dynamo.utils import counters

num_domains, input_size, output_size = 4, 8, 6
fc = torch.nn.Embedding(num_domains, output_size * input_size)
bias = torch.nn.Embedding(num_domains, output_size)

def domain_linear(x, domain_id):
    if domain_id.ndim == 0:
        domain_id = domain_id.unsqueeze(0)
    domain_id = domain_id.to(device=x.device, dtype=torch.long).reshape(-1)
    if torch.any((domain_id < 0) | (domain_id >= num_domains)):
        raise ValueError(f"Cosmos3 action domain_id must be in [0, {num_domains}), got {domain_id.tolist()}.")
    weight = fc(domain_id).view(domain_id.shape[0], input_size, output_size)
    b = bias(domain_id).view(domain_id.shape[0], output_size)
    return torch.bmm(x, weight) + b.unsqueeze(1)

torch._dynamo.reset(); counters.clear()
torch.compile(domain_linear, backend="eager")(torch.randn(2, 5, input_size), torch.tensor([1, 3]))
reasons = [str(r).strip().splitlines()[0] for key in ("graph_break", "unimplemented") for r in counters[key]]
print("graph breaks:", reasons)
claim(any("tolist" in r for r in reasons), "the domain_id.tolist() line is traced with valid domain ids")
