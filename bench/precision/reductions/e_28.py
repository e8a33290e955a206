# e_28: torchao torchao/quantization/pt2e/observer.py:1306 (CA113 warnings.warn in HistogramObserver.forward)
# Observers are inserted by prepare_pt2e and run during eager calibration of the exported GraphModule;
# convert_pt2e removes them before the model is compiled, so this forward is not traced by torch.compile.
# Even if it were, the warn sits under a data-dependent `if x_min == -inf or x_max == inf:` branch,
# which already fails fullgraph one line earlier.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch


def observer_forward(x_orig):
    if x_orig.numel() == 0:
        return x_orig
    x = x_orig.detach()
    x_min, x_max = torch.aminmax(x)
    if x_min == -torch.inf or x_max == torch.inf:
        warnings.warn("torch.inf detected in input tensor, ignoring input")
        x = x[x.abs() != torch.inf]
        x_min, x_max = torch.aminmax(x)
    return x_min, x_max


try:  # what the code would do if it were compiled (it is not)
    torch.compile(observer_forward, fullgraph=True, backend="eager")(torch.randn(16))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: HistogramObserver.forward runs in eager pt2e calibration; convert_pt2e removes observers "
             "before compilation (and the warn is behind a data-dependent tensor branch)")
