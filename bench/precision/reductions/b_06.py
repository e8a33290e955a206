# torchvision/transforms/transforms.py CA104 nth 1..5 (lines 545 RandomApply, 720 RandomHorizontalFlip,
# 751 RandomVerticalFlip, 811 RandomPerspective, 1617 RandomGrayscale, 1727 RandomErasing):
# `if torch.rand(1) < self.p:` (or `self.p < torch.rand(1)`) with self.p a float.
# Scope: v1 random transforms operate on PIL images or tensors in the data-loading pipeline (eager,
# often in DataLoader workers); they are not part of a compiled model, so the line is not traced in
# normal use (compiling the transform itself would break on the tensor comparison).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "v1 random transforms run eagerly in data loading; not traced when a model is compiled")
