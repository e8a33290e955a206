# torchvision/transforms/transforms.py CA102, lines 653-654, 832-845, 946-954, 1360, 1493-1512, 1699-1713, 1809,
# 1882-2043: the torch.randint(...).item() / torch.empty(1).uniform_(...).item() / torch.rand(1).item() random
# draws in get_params/forward of RandomCrop, RandomPerspective, RandomResizedCrop, RandomRotation, RandomAffine,
# RandomErasing, GaussianBlur and the Random* photometric transforms. These are data-loading transforms applied
# eagerly (Dataset / DataLoader workers); no torchvision model calls them, so they are not traced when a model is
# compiled.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "data-loading augmentation transforms: run eagerly, never traced by torch.compile of a model")
