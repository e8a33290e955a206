# e_04: timm timm/data/naflex_transforms.py:439, :444 (RandomCropToSequence.get_params) and
# timm/data/transforms.py:399, :400 (RandomCropOrPad.get_params): CA115
# int(math.copysign(random.randint(0, abs(delta)), delta)) -- crop/pad augmentation run in the DataLoader.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import math
import random
import torch


def get_params(img, size=(24, 40)):
    _, image_height, image_width = img.shape
    delta_height = image_height - size[0]
    delta_width = image_width - size[1]
    top = int(math.copysign(random.randint(0, abs(delta_height)), delta_height))
    left = int(math.copysign(random.randint(0, abs(delta_width)), delta_width))
    return top, left


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(get_params, fullgraph=True, backend="eager")(torch.rand(3, 32, 32))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: get_params of a random crop/pad data transform (transforms_factory / NaFlex loader), "
             "executed eagerly; nothing compiles it")
