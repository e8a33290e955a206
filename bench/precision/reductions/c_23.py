# Reduces: torchao torchao/prototype/smoothquant/core.py:204 CA301 (self._second_pass_count += 1)
# RunningAbsMaxSmoothQuantObserver only lives in the model between quantize_(step=PREPARE) and
# quantize_(step=CONVERT); example.py runs the calibration batches eagerly (`model(batch)`), and CONVERT replaces
# the observed linear, so the counter update is never inside compiled code in normal use. (If one did compile the
# calibration pass, the int attribute would recompile on every call: 5 graphs for 5 calls in a side test.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

class Observer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self._second_pass_count = 0
    def forward(self, x):
        self._second_pass_count += 1
        return x

class ObservedLinear(torch.nn.Linear):  # stand-in for SmoothQuantObservedLinear
    def __init__(self, lin):
        super().__init__(lin.in_features, lin.out_features)
        self.obs = Observer()
    def forward(self, x):
        return super().forward(self.obs(x))

model = torch.nn.Sequential(torch.nn.Linear(8, 8))
model[0] = ObservedLinear(model[0])                  # step=PREPARE
for batch in [torch.randn(2, 8) for _ in range(3)]:  # calibration, eager as in example.py
    model(batch)
model[0] = torch.nn.Linear(8, 8)                     # step=CONVERT swaps the observed module out
compiled = torch.compile(model, backend="eager")     # what users compile
compiled(torch.randn(2, 8))
has_observer = any(isinstance(m, Observer) for m in model.modules())
claim(has_observer, "the observer (and its counter update) is part of the model that gets compiled")
