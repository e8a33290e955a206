# x_transformers/free_transformer.py CA104 nth 1 (line 110, `if calc_aux_loss:`) and nth 1 (line 118,
# `if straight_through:`) in BinaryMapper.forward: both are default(arg, self.training), i.e. Python
# bools (FreeTransformer passes calc_aux_loss=return_kl_loss, a bool).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def default(v, d):
    return v if v is not None else d


class BinaryMapper(torch.nn.Module):
    def __init__(self, bits=2):
        super().__init__()
        self.bits, self.num_codes = bits, 2**bits
        power_two = 2 ** torch.arange(bits)
        codes = (torch.arange(self.num_codes)[:, None].bitwise_and(power_two) != 0).bool()
        self.register_buffer("power_two", power_two, persistent=False)
        self.register_buffer("codes", codes, persistent=False)
        self.register_buffer("zero", torch.tensor(0.0), persistent=False)

    def forward(self, logits, temperature=1.0, straight_through=None, calc_aux_loss=None):
        straight_through = default(straight_through, self.training)
        calc_aux_loss = default(calc_aux_loss, self.training)
        prob_for_sample = (logits / temperature).sigmoid()
        sampled_bits = (torch.rand_like(logits) <= prob_for_sample).long()
        indices = (self.power_two * sampled_bits).sum(dim=-1)
        one_hot = F.one_hot(indices, self.num_codes).float()
        aux_kl_loss = self.zero
        if calc_aux_loss:
            aux_kl_loss = F.relu(-logits.sigmoid()).mean()
        if straight_through:
            soft_G = (F.logsigmoid(logits) @ self.codes.float().t() + F.logsigmoid(-logits) @ (~self.codes).float().t()).exp()
            one_hot = one_hot + soft_G - soft_G.detach()
        return one_hot, aux_kl_loss


m = BinaryMapper().train()
check(lambda x: m(x, calc_aux_loss=True), torch.randn(2, 5, 2, requires_grad=True))
