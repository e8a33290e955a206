# e_01: timm timm/data/naflex_transforms.py:183, :350, :697 (CA115 random.choice(self.interpolation))
# ResizeToSequence / ResizeKeepRatioToSequence / RandomResizedCropToSequence are torchvision-style
# data-augmentation transforms built by timm.data.transforms_factory and run in the DataLoader, never
# inside a compiled model (timm only compiles the model / optimizer kernels).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch
from enum import Enum


class InterpolationMode(Enum):  # stand-in for torchvision InterpolationMode
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"


_RANDOM_INTERPOLATION = (InterpolationMode.BILINEAR, InterpolationMode.BICUBIC)


def pick(img, interp=_RANDOM_INTERPOLATION):
    if isinstance(interp, (tuple, list)):
        interpolation = random.choice(interp)
    else:
        interpolation = interp
    return img * (1.0 if interpolation is InterpolationMode.BILINEAR else 2.0)


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(pick, fullgraph=True, backend="eager")(torch.rand(3, 8, 8))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: random.choice runs in a DataLoader transform (transforms_factory), eager; "
             "nothing in timm compiles data transforms")
