# Reduces: x_transformers x_transformers/xl_autoregressive_wrapper.py:473 CA124 (grads = torch.autograd.grad(...) in update_ttt)
# Called from the wrapper's forward when TTT paths are configured: gradients of the per-batch loss w.r.t. the
# repeated per-batch parameters (non-leaf tensors), create_graph=self.training.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

weight = torch.nn.Parameter(torch.randn(8, 8))

def ttt_step(x, labels, create_graph=True):
    batch_param = weight.unsqueeze(0).repeat(x.shape[0], 1, 1)  # init_ttt: repeat_batch of named_parameters
    logits = x @ batch_param
    loss_t = torch.nn.functional.cross_entropy(logits.transpose(1, 2), labels, reduction='none')
    loss_t_per_batch = loss_t.mean(dim=-1)
    grads = torch.autograd.grad(loss_t_per_batch.sum(), [batch_param], create_graph=create_graph,
                                retain_graph=create_graph, allow_unused=True)
    return batch_param - 1e-2 * grads[0]

check(ttt_step, torch.randn(2, 5, 8), torch.randint(0, 8, (2, 5)))
