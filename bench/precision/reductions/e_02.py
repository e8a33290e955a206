# e_02: timm timm/data/naflex_transforms.py:278, :288 (CA115 random.random() < prob in
# ResizeKeepRatioToSequence.get_params) -- data-augmentation transform, run eagerly in the DataLoader.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch


def get_ratio(img, random_scale_prob=0.5, random_scale_range=(0.85, 1.05)):
    if random_scale_prob > 0 and random.random() < random_scale_prob:
        ratio_factor = 1.1
    else:
        ratio_factor = 1.0
    return img * ratio_factor


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(get_ratio, fullgraph=True, backend="eager")(torch.rand(3, 8, 8))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: ResizeKeepRatioToSequence.get_params is data-loading augmentation code run eagerly; "
             "it is not traced when a timm model is compiled")
