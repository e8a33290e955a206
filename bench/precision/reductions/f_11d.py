# Default mode (CA103's claim for integer tensors is GB0033 without fullgraph=True): the same reduction as f_11.py
# f_11: peft peft/tuners/frod/layer.py:256 (CA103 `self.frod_s_size[adapter].tolist()` in
# FrodLayer._get_frod_tensors, called from Linear.forward for every active adapter).
# frod_s_size[adapter] is a long tensor torch.tensor([in_dim, in_dim]) registered as a buffer of a BufferDict
# (an nn.Module owned by FrodModel, referenced from the layer via object.__setattr__), so Dynamo sees a real
# graph input, not a constant. Under fullgraph=True (capture_scalar_outputs implied) check whether .tolist()
# of this int64 buffer fails at that line: it does not (unbacked ints). In default mode the same line does
# graph-break (data-dependent), and torch.sparse_coo_tensor two lines later breaks fullgraph on its own.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class BufferDict(nn.Module):
    def __init__(self, buffers=None, persistent=False):
        super().__init__()
        self.persistent = persistent
        for k, v in (buffers or {}).items():
            self[k] = v

    def __getitem__(self, key):
        return self._buffers[key]

    def __setitem__(self, key, buffer):
        self.register_buffer(key, buffer, persistent=self.persistent)


class FrodSize(nn.Module):
    def __init__(self):
        super().__init__()
        self.frod_lambda_s_values = nn.ParameterDict({"default": nn.Parameter(torch.randn(5))})
        object.__setattr__(self, "frod_s_size", BufferDict({"default": torch.tensor([8, 8], dtype=torch.long)}))

    def forward(self, x):
        adapter = "default"
        size = tuple(int(dim) for dim in self.frod_s_size[adapter].tolist())
        values = self.frod_lambda_s_values[adapter].to(device=x.device, dtype=x.dtype)
        return x.new_zeros(size).sum() + values.sum() + x


check(FrodSize(), torch.randn(2, 8), mode="default")
