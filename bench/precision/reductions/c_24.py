# Reduces: torchao torchao/quantization/pt2e/observer.py:1239 CA110 (update_histogram = torch.bincount(...) in HistogramObserver._upscale_histogram)
# HistogramObserver is inserted by prepare_pt2e, run during the eager calibration pass and removed by convert_pt2e
# (replaced by quantize/dequantize ops); it is not part of the model users compile. (bincount itself would break
# default torch.compile: data-dependent output size.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

class HistogramObserverStub(torch.nn.Module):
    def __init__(self, bins=8):
        super().__init__()
        self.bins = bins
        self.register_buffer("histogram", torch.zeros(bins))
    def forward(self, x):
        bucket_assignments = torch.clamp((x.flatten() * self.bins).long(), 0, self.bins - 1)
        self.histogram += torch.bincount(bucket_assignments, weights=torch.ones_like(x.flatten()), minlength=self.bins)
        return x

class Prepared(torch.nn.Module):  # shape of prepare_pt2e output: linear -> observer
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(8, 8)
        self.activation_post_process_0 = HistogramObserverStub()
    def forward(self, x):
        return self.activation_post_process_0(self.linear(x))

m = Prepared()
for batch in [torch.rand(2, 8) for _ in range(3)]:   # calibration runs eagerly
    m(batch)
m.activation_post_process_0 = torch.nn.Identity()    # convert_pt2e replaces observers (q/dq ops here)
torch.compile(m, backend="eager")(torch.rand(2, 8))
claim(any(isinstance(mod, HistogramObserverStub) for mod in m.modules()),
      "HistogramObserver (and its bincount) is traced when the quantized model is compiled")
