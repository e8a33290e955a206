# audiolm_pytorch/soundstream.py CA124 nth 1 (line 73, gradient_penalty): called from SoundStream.forward with
# return_discr_loss=True and apply_grad_penalty=True (the trainer sets it every apply_grad_penalty_every=4
# steps); torch_grad is torch.autograd.grad, which Dynamo does not trace by default -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch.autograd import grad as torch_grad
from torch.linalg import vector_norm

discr = torch.nn.Conv1d(1, 1, 3)


def gradient_penalty(wave, output, weight = 10, center = 0.):
    gradients = torch_grad(
        outputs = output,
        inputs = wave,
        grad_outputs = torch.ones_like(output),
        create_graph = True,
        retain_graph = True,
        only_inputs = True
    )[0]
    gradients = gradients.reshape(gradients.shape[0], -1)
    return weight * ((vector_norm(gradients, dim = 1) - center) ** 2).mean()


def discr_step(real):
    real_logits = discr(real)
    one_discr_loss = torch.relu(1 - real_logits).mean()
    return one_discr_loss + gradient_penalty(real, one_discr_loss)


check(discr_step, torch.randn(2, 1, 32, requires_grad=True))
