# torchvision/transforms/autoaugment.py CA104 nth 1/2/3 (lines 360, 449, 592): `if signed and
# torch.randint(2, (1,)):` in RandAugment / TrivialAugmentWide / AugMix .forward.
# Scope: these are data-augmentation transforms applied to PIL images or tensors in the data-loading
# pipeline (eager; the same forward already calls int(torch.randint(...).item()) and float(...item())
# to pick ops). They are not part of any torchvision model that gets torch.compile'd, so the flagged
# line is never traced in normal use (it would break if someone compiled the transform itself).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "autoaugment transforms run eagerly in data loading; not traced when a model is compiled")
