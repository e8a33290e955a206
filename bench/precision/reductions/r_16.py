# torchtune modules/layer_dropout.py:81 CA136
# `torch.bernoulli(torch.Tensor((n) * [self.prob]), generator=self.generator)`.
# LayerDropout.forward (run by ModuleLayerDropoutWrapper around each layer after prepare_layer_dropout) in training
# with prob > 0 (same path as the nonzero() judged TRUE in c_16): self.generator is a torch.Generator built in
# __init__, and Dynamo cannot put a Generator argument in the graph ("Failed to convert args/kwargs to proxy"):
# fullgraph fails at the line when the wrapped model is compiled. Without generator= the same line compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class LayerDropout(torch.nn.Module):
    def __init__(self, prob=0.5, dim=0, disable_on_eval=True, seed=None):
        super().__init__()
        self.prob = prob
        self.dim = dim
        self.disable_on_eval = disable_on_eval
        self.generator = torch.Generator(device="cpu")
        if seed is not None:
            self.generator.manual_seed(seed)

    def forward(self, function, input, *args, **kwargs):
        n = input.shape[self.dim]
        if self.prob == 0 or (self.disable_on_eval and self.training is False):
            return function(input, *args, **kwargs)
        skip = (
            torch.bernoulli(torch.Tensor((n) * [self.prob]), generator=self.generator)
            .to(input.device)
            .to(input.dtype)
        )
        return input * skip.view(-1, *([1] * (input.dim() - 1)))


class Wrapper(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.module = torch.nn.Linear(16, 16)
        self.dropout = LayerDropout(prob=0.5)

    def forward(self, x):
        return self.dropout(self.module, x)


check(Wrapper().train(), torch.randn(8, 4, 16))
