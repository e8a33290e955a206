# torchao/prototype/moe_training/nvfp4_training/nvfp4_training.py CA103 nth 1 (line 41, _rht_sign_vector_to_tuple):
# NVFP4Linear computes the tuple eagerly: in __init__ (self._refresh_rht_sign_vector_tuple()) and again after
# load_state_dict (_load_from_state_dict). forward reads the property `rht_sign_vector`, which calls the refresh
# only while the cached tuple is None (a buffer still on the meta device): a one-shot lazy init, not the compiled
# steady state. In normal use forward reads the cached Python tuple and the .tolist() line is never traced: the
# forward below (nvfp4_linear replaced by a plain matmul that takes the same sign_vector tuple) compiles whole.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


def _rht_sign_vector_to_tuple(sign_vector: torch.Tensor):
    if hasattr(sign_vector, "to_local"):
        sign_vector = sign_vector.to_local()
    if sign_vector.device.type == "meta":
        return None
    return tuple(int(v) for v in sign_vector.detach().cpu().tolist())


def nvfp4_linear_stub(x, weight, bias, *, sr_seed, sign_vector):
    signs = torch.tensor(sign_vector, dtype=x.dtype)  # the kernel consumes the Python tuple
    out = (x * signs.repeat(x.shape[-1] // 16)) @ weight.t()
    return out if bias is None else out + bias


class NVFP4Linear(nn.Linear):
    def __init__(self, in_features, out_features, bias=False):
        super().__init__(in_features, out_features, bias)
        self.register_buffer("_sr_seed", torch.randint(-(2**63), 2**63 - 1, (1,), dtype=torch.int64))
        self.register_buffer("_rht_sign_vector", (torch.randint(0, 2, (16,)) * 2 - 1).to(torch.int8), persistent=True)
        self._refresh_rht_sign_vector_tuple()

    def _refresh_rht_sign_vector_tuple(self) -> None:
        self._rht_sign_vector_tuple = _rht_sign_vector_to_tuple(self._rht_sign_vector)

    def _load_from_state_dict(self, *args, **kwargs):
        super()._load_from_state_dict(*args, **kwargs)
        self._refresh_rht_sign_vector_tuple()

    @property
    def rht_sign_vector(self):
        if self._rht_sign_vector_tuple is None:
            self._refresh_rht_sign_vector_tuple()
        if self._rht_sign_vector_tuple is None:
            raise RuntimeError("rht_sign_vector is not materialized")
        return self._rht_sign_vector_tuple

    def forward(self, x):
        return nvfp4_linear_stub(x, self.weight, self.bias, sr_seed=self._sr_seed, sign_vector=self.rht_sign_vector)


layer = NVFP4Linear(32, 16)
layer.load_state_dict(layer.state_dict())  # the checkpoint-loading path refreshes the tuple eagerly too
print("cached tuple after __init__/load:", type(layer._rht_sign_vector_tuple).__name__)
check(layer, torch.randn(4, 32))
