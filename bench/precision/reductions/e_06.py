# e_06: timm timm/data/naflex_transforms.py:693 (CA113 warnings.warn in
# RandomResizedCropToSequence.get_params) -- data augmentation run eagerly in the DataLoader.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch


def get_params(img, max_seq_len=4, patch=4):
    _, h, w = img.shape
    final_size = (h, w)
    if (h // patch) * (w // patch) > max_seq_len:
        final_size = (8, 8)
        warnings.warn(f"Reverting to feasible size {final_size}.")
    return final_size


try:  # what the pattern alone would do if it were compiled (it is not)
    torch.compile(get_params, fullgraph=True, backend="eager")(torch.rand(3, 32, 32))
    print("pattern alone under fullgraph: compiles")
except Exception as e:
    print("pattern alone under fullgraph:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: warnings.warn sits in a DataLoader transform's parameter sampling, run eagerly")
