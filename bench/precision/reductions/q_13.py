# kornia/geometry/ransac.py CA144 nth 1 (line 1511, RANSAC._forward_lm): with model_type="essential" (documented;
# its default local_optimization is "lm") the final model, a float64 (3, 3) Tensor computed in forward, is
# sign-normalised with model.flatten()[model.abs().argmax()]: indexing with the 0-d argmax makes PyTorch read the
# index as a Python int, which fails under fullgraph=True (data-dependent index).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def finish(model, dtype=torch.float32):
    model = (model / model.norm()).to(dtype)
    model = model * model.flatten()[model.abs().argmax()].sign()
    return model


check(finish, torch.randn(3, 3, dtype=torch.float64))
