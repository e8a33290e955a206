# torchvision/transforms/v2/_transform.py CA104 nth 1 (line 187, _RandomApplyTransform.forward):
# `if torch.rand(1) >= self.p:` with self.p a float.
# Scope: v2 random transforms take arbitrary pytrees (PIL images, tv_tensors, bboxes) and run in the
# data-loading pipeline eagerly (forward also does tree_flatten / check_inputs / make_params in Python);
# they are not part of a compiled model, so the line is not traced in normal use.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "v2 random transforms run eagerly in data loading; not traced when a model is compiled")
