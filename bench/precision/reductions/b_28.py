# torchao/quantization/pt2e/observer.py CA104 HistogramObserver: nth 1 line 1255 and line 1260
# (_combine_histograms: `if update_min == orig_min and update_max == orig_max:`, `if orig_min == orig_max:`),
# line 1305 (forward: `if x_min == -torch.inf or x_max == torch.inf:`), line 1316 (`if is_uninitialized:`),
# line 1332 (`if new_min == current_min and new_max == current_max:`). All operands are 0-d tensors.
# Scope: HistogramObserver is a PTQ calibration observer: prepare_pt2e inserts it, calibration runs the
# prepared GraphModule eagerly, convert_pt2e removes it before the model is compiled. Its forward is
# not traced when the model is compiled in normal use (it would break on these tensor branches, and
# already uses torch.histc/resize_/warnings in Python).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "HistogramObserver runs eagerly during PTQ calibration; removed by convert_pt2e before compile")
