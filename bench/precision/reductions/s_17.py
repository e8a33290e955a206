# monai networks/layers/simplelayers.py:438 (CA143) `torch.diag(torch.ones(prod, ...)).view(s)` in get_binary_kernel.
# get_binary_kernel runs in MedianFilter.__init__ (self.kernel = get_binary_kernel(...)); under compile it is reached
# only from median_filter's `if kernel is None:` branch, and the one compiled caller of median_filter in monai,
# MedianFilter.forward, passes kernel=self.kernel. So the flagged line never runs compiled in normal use.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import re

root = pathlib.Path(__file__).parents[2] / ".corpus/precision/monai/monai"
calls = [(str(p.relative_to(root)), line.strip()) for p in root.rglob("*.py")
         for line in p.read_text(encoding="utf-8", errors="ignore").splitlines()
         if "median_filter(" in line and not line.strip().startswith(("def ", ">>>", "#"))]
print("calls of median_filter:", calls)
without_kernel = [c for c in calls if "kernel=" not in c[1]]
claim(bool(without_kernel), "a compiled caller reaches median_filter without a kernel")
