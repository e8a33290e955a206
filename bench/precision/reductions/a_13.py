# x_transformers/up_wrapper.py:239 CA102: divisible_by(self.step.item(), self.reset_turing_machine_every) in
# UniversalPretrainWrapper.forward. self.step is a registered buffer (tensor(0)) incremented with add_(1), so
# .item() graph-breaks in plain torch.compile of the wrapper's forward (when reset_turing_machine_every > 0).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def divisible_by(num, den):
    return (num % den) == 0


class W(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.reset_turing_machine_every = 2
        self.register_buffer("step", torch.tensor(0))
        self.lin = torch.nn.Linear(4, 4)

    def forward(self, x):
        x = self.lin(x)
        self.step.add_(1)
        if self.reset_turing_machine_every > 0 and divisible_by(self.step.item(), self.reset_turing_machine_every):
            x = x * 0
        return x


check(W(), torch.randn(2, 4), mode="default")
