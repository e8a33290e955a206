# e_05: timm timm/data/naflex_transforms.py:623, :624 (CA115 random.randint(0, height - crop_h) in
# RandomResizedCropToSequence.get_params) -- data augmentation run eagerly in the DataLoader.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch


def get_params(img, crop_h=16, crop_w=20):
    _, height, width = img.shape
    if 0 < crop_w <= width and 0 < crop_h <= height:
        top = random.randint(0, height - crop_h)
        left = random.randint(0, width - crop_w)
    return img[:, top:top + crop_h, left:left + crop_w]


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(get_params, fullgraph=True, backend="eager")(torch.rand(3, 32, 32))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: random crop offsets sampled in a DataLoader transform, eager; not traced when "
             "the model is compiled")
