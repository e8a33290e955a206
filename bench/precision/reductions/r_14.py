# torchao kernel/blockwise_quantization.py:32 CA131 `with _triton_impls_lock:`.
# BlockwiseQuantLinear.forward (prototype blockwise_fp8_inference) calls fp8_blockwise_act_quant and
# blockwise_fp8_gemm, and Float8Tensor's 128x128-block linear calls blockwise_fp8_gemm; each first calls
# _get_triton_impls(), which builds the Triton kernels lazily under a threading.Lock. For a model quantized and then
# compiled, the first compiled forward is the first call: _triton_impls is still None, Dynamo traces into the
# `with` on the Lock and fails ("Unsupported context manager") under fullgraph=True (plain compile breaks there).
# The real module is loaded from the corpus (it only imports torch and threading).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import importlib.util
import torch

path = pathlib.Path(__file__).parents[2] / ".corpus/precision/torchao/torchao/kernel/blockwise_quantization.py"
spec = importlib.util.spec_from_file_location("blockwise_quantization", path)
bq = importlib.util.module_from_spec(spec); sys.modules["blockwise_quantization"] = bq; spec.loader.exec_module(bq)


class BlockwiseQuantLinear(torch.nn.Module):
    def __init__(self, in_features=128, out_features=128, block_size=128):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(out_features, in_features, dtype=torch.float8_e4m3fn),
                                         requires_grad=False)
        self.scale = torch.nn.Parameter(torch.ones(1, 1))
        self.block_size = block_size

    def forward(self, x):
        x, scale = bq.fp8_blockwise_act_quant(x, self.block_size, torch.float8_e4m3fn)
        return bq.blockwise_fp8_gemm(x, scale, self.weight, self.scale, self.block_size)


print("kernels built before the first call:", bq._triton_impls is not None)
check(BlockwiseQuantLinear(), torch.randn(2, 128))
