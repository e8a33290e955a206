# Reduces: torchvision ops/poolers.py:25 CA110 (torch.where(levels == level)[0] in _onnx_merge_levels)
# _onnx_merge_levels is only called under `if torchvision._is_tracing():`, i.e. torch._C._get_tracing_state(),
# which is set only by torch.jit.trace (ONNX export). Under torch.compile it is None, so the line is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

state_eager = torch._C._get_tracing_state()
print("tracing state outside jit.trace:", state_eager)
claim(state_eager is not None, "_onnx_merge_levels (and its torch.where) runs when the model is compiled")
