# torchao torchao/quantization/pt2e/observer.py:1315 CA108 nth 1
#   -- is_uninitialized = self.min_val == float("inf") or self.max_val == float("-inf")
# self.min_val / self.max_val are scalar tensor buffers, so the  would call bool() on a tensor, but
# HistogramObserver.forward runs eagerly during PT2E calibration, not under torch.compile (scope).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
claim(False, "HistogramObserver.forward runs eagerly during PT2E calibration (prepare_pt2e -> calibrate -> "
      "convert_pt2e); min_val is a tensor buffer so the 'or' would break if compiled, but it is never traced "
      "in normal use")
