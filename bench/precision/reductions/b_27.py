# torchao/quantization/pt2e/observer.py CA104 nth 1 (line 687, MovingAverageMinMaxObserver.forward):
# `if min_val == float("inf") and max_val == float("-inf"):` on the 0-d min_val/max_val buffers.
# Scope: PT2E observers are inserted by prepare_pt2e/prepare_qat_pt2e into the exported GraphModule
# and run eagerly during calibration / QAT to record statistics; convert_pt2e then removes them
# before the model is torch.compile'd. The observer forward is not traced when the model is compiled
# in normal use (it would break on the 0-d tensor comparison if it were).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "pt2e observer forward runs eagerly during calibration/QAT; observers are gone after convert_pt2e")
