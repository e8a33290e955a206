# e_03: timm timm/data/naflex_transforms.py:279, :290, :611, :612, :664 (CA115 random.uniform(...))
# Parameter sampling of ResizeKeepRatioToSequence / RandomResizedCropToSequence.get_params: data
# augmentation run eagerly in the DataLoader, never compiled.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import math
import random
import torch


def get_params(img, scale=(0.08, 1.0), ratio=(0.8, 1.25)):
    _, height, width = img.shape
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    target_area = area * random.uniform(scale[0], scale[1])
    aspect_ratio_factor = math.exp(random.uniform(log_ratio[0], log_ratio[1]))
    return int(round(math.sqrt(target_area / aspect_ratio_factor)))


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(get_params, fullgraph=True, backend="eager")(torch.rand(3, 32, 32))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: random.uniform samples crop/resize parameters in a DataLoader transform, eager; "
             "not traced when the model is compiled")
