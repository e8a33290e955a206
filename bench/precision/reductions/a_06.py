# torchvision/transforms/autoaugment.py CA102, lines 248, 275, 356, 359, 441 (nth 2), 445, 582, 584 (nth 3), 588:
# the .item() calls in AutoAugment.get_params/forward, RandAugment.forward, TrivialAugmentWide.forward and
# AugMix.forward. These are data-augmentation transforms applied eagerly in the data-loading pipeline (Dataset /
# DataLoader workers); no torchvision model calls them, so they are not traced when a model is compiled.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "data-loading augmentation transforms: run eagerly, never traced by torch.compile of a model")
