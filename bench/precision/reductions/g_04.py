# g_04: vector_quantize_pytorch latent_quantization.py:296 CA104 `if self.training and self.commitment_loss_weight != 0`
#       and :301 CA104 `if self.training and self.quantization_loss_weight != 0`
# commitment_loss_weight / quantization_loss_weight are float32 buffers (register_buffer(torch.tensor(0.1)));
# in training, `buffer != 0` is a bool Tensor used as a ternary condition: data-dependent branch.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
import torch.nn.functional as F


class LatentQuantizeLosses(nn.Module):
    def __init__(self, commitment_loss_weight=0.1, quantization_loss_weight=0.1):
        super().__init__()
        self.register_buffer("commitment_loss_weight", torch.tensor(commitment_loss_weight, dtype=torch.float32), persistent=False)
        self.register_buffer("quantization_loss_weight", torch.tensor(quantization_loss_weight, dtype=torch.float32), persistent=False)

    def forward(self, original_input, out):
        commitment_loss = (
            F.mse_loss(original_input.detach(), out)
            if self.training and self.commitment_loss_weight != 0
            else torch.tensor(0.0)
        )
        quantization_loss = (
            F.mse_loss(out.detach(), original_input)
            if self.training and self.quantization_loss_weight != 0
            else torch.tensor(0.0)
        )
        return self.commitment_loss_weight * commitment_loss + self.quantization_loss_weight * quantization_loss


x = torch.randn(2, 4)
check(LatentQuantizeLosses().train(), x, x.round())
