# vector_quantize_pytorch lookup_free_quantization.py:420 `commit_loss = commit_loss[mask]` and
# vector_quantize_pytorch.py:1364 `commit_loss = commit_loss[loss_mask].mean()` (CA111). In training with a
# commitment loss (the default weight is > 0) and a padding mask for variable-length sequences (the documented
# `mask=` argument of forward), the per-element commitment loss is indexed by the boolean mask: an output whose
# length depends on the mask's values, a graph break in plain torch.compile (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


class LFQ(torch.nn.Module):
    def __init__(self, commitment_loss_weight=0.25):
        super().__init__()
        self.commitment_loss_weight = commitment_loss_weight

    def forward(self, x, mask=None):
        quantized = torch.where(x > 0, 1.0, -1.0)
        if self.training and self.commitment_loss_weight > 0.:
            commit_loss = F.mse_loss(x, quantized.detach(), reduction='none')
            if mask is not None:
                commit_loss = commit_loss[mask]
            commit_loss = commit_loss.mean()
        else:
            commit_loss = x.new_zeros(())
        return quantized, commit_loss


model = LFQ().train()
check(model, torch.randn(2, 5, 4), torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], dtype=torch.bool), mode="default")
