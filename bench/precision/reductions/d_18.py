# torchao torchao/quantization/pt2e/observer.py:1307 CA111 nth 1 -- x = x[x.abs() != torch.inf]
# HistogramObserver.forward is an observer inserted by prepare_pt2e and run eagerly during calibration;
# it is not traced by torch.compile in normal use (scope).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
claim(False, "HistogramObserver.forward runs eagerly during PT2E calibration (prepare_pt2e -> calibrate -> "
      "convert_pt2e); the boolean-mask read would break if compiled, but that code is not traced in normal use")
