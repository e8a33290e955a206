# torchvision torchvision/transforms/transforms.py:1261 CA106 nth 1 -- float(torch.empty(1).uniform_(brightness...))
# torchvision torchvision/transforms/transforms.py:1262 CA106 nth 1 -- contrast
# torchvision torchvision/transforms/transforms.py:1263 CA106 nth 1 -- saturation
# torchvision torchvision/transforms/transforms.py:1264 CA106 nth 1 -- hue
# ColorJitter.get_params is a data-augmentation transform (v1 transforms) run in the data pipeline
# (DataLoader workers, PIL or tensor images), not inside a compiled model: out of scope.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
claim(False, "ColorJitter.get_params runs in the eager data-loading pipeline, never inside a torch.compile'd model; "
      "the float() of a tensor would break if compiled, but that code is not traced in normal use")
