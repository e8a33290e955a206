# g_03: vector_quantize_pytorch latent_quantization.py:268 CA104 `if self.commitment_loss_weight != 0`,
#       :273 CA104 `if self.quantization_loss_weight != 0`, :276 CA123 `loss.backward()`
# All three sit in the block `if should_inplace_optimize and self.training and not self.optimize_values:`.
# LatentQuantize.__init__ never stores self.optimize_values (the argument is only used locally), so as soon as
# an in-place optimizer is given and the module trains, evaluating the guard raises AttributeError (even in
# eager); without an optimizer the guard short-circuits. The block's lines are never executed or traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
import torch.nn.functional as F


class LatentQuantize(nn.Module):  # __init__ / forward guard reproduced from latent_quantization.py
    def __init__(self, optimize_values=True, in_place_codebook_optimizer=None):
        super().__init__()
        self.in_place_codebook_optimizer = in_place_codebook_optimizer
        self.register_buffer("commitment_loss_weight", torch.tensor(0.1), persistent=False)
        self.register_buffer("quantization_loss_weight", torch.tensor(0.1), persistent=False)
        values_per_latent = [torch.linspace(-0.5, 0.5, 5) for _ in range(4)]
        if optimize_values:
            self.values_per_latent = nn.ParameterList([nn.Parameter(v) for v in values_per_latent])
            if in_place_codebook_optimizer is not None:
                self.in_place_codebook_optimizer = in_place_codebook_optimizer(self.values_per_latent)
        else:
            self.values_per_latent = values_per_latent

    def forward(self, z):
        out = z.round()
        should_inplace_optimize = self.in_place_codebook_optimizer is not None
        if should_inplace_optimize and self.training and not self.optimize_values:
            loss = F.mse_loss(z.detach(), out) if self.commitment_loss_weight != 0 else torch.tensor(0.0)
            loss += F.mse_loss(out.detach(), z) if self.quantization_loss_weight != 0 else torch.tensor(0.0)
            loss.backward()
            self.in_place_codebook_optimizer.step()
        return out


reached = False
for opt_values in (True, False):
    lq = LatentQuantize(optimize_values=opt_values, in_place_codebook_optimizer=lambda p: torch.optim.SGD(p, lr=0.1)).train()
    try:
        lq(torch.randn(2, 4, requires_grad=True))
        reached = True
    except AttributeError as e:
        print(f"optimize_values={opt_values}: eager forward raises AttributeError: {e}")

claim(reached, "scope: the in-place-optimize block (ternaries on the loss-weight buffers, loss.backward()) is "
               "unreachable: its guard reads the never-assigned self.optimize_values")
