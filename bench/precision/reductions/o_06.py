# transformers/masking_utils.py CA104 nth 1 (line 761, find_packed_sequence_indices): the data-dependent test
# `(packed_sequence_mask[:, -1] == 0).all()` is the right operand of `not is_tracing(packed_sequence_mask) and ...`.
# is_tracing (transformers/utils/import_utils.py, not in the scanned folders) starts with
# is_torchdynamo_compiling() = torch.compiler.is_compiling(), True under Dynamo, so `not is_tracing(...)` is False
# and the `and` short-circuits: the tensor test is never traced. Reached from create_causal_mask ->
# _preprocess_mask_arguments when position_ids are given with no attention mask and no cache (training).
# The function, with is_tracing copied from transformers 5.x, compiles with fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def is_torchdynamo_compiling() -> bool:
    try:
        return torch.compiler.is_compiling()
    except Exception:
        return False


def is_jit_tracing() -> bool:
    try:
        return torch.jit.is_tracing()
    except Exception:
        return False


def is_cuda_stream_capturing() -> bool:
    try:
        return torch.cuda.is_current_stream_capturing()
    except Exception:
        return False


def is_torch_fx_proxy(x) -> bool:
    try:
        import torch.fx
        return isinstance(x, torch.fx.Proxy)
    except Exception:
        return False


def is_fake_tensor(x) -> bool:
    try:
        return isinstance(x, torch._subclasses.FakeTensor)
    except Exception:
        return False


def is_jax_jitting(x):
    if not hasattr(x, "jax"):
        return False
    return False


def is_tracing(tensor=None) -> bool:
    _is_tracing = is_torchdynamo_compiling() or is_jit_tracing() or is_cuda_stream_capturing()
    if tensor is not None:
        _is_tracing |= is_torch_fx_proxy(tensor)
        _is_tracing |= is_fake_tensor(tensor)
        _is_tracing |= is_jax_jitting(tensor)
    return _is_tracing


def find_packed_sequence_indices(position_ids: torch.Tensor):
    first_dummy_value = position_ids[:, :1] - 1
    position_diff = torch.diff(position_ids, prepend=first_dummy_value, dim=-1)
    packed_sequence_mask = (position_diff != 1).cumsum(-1)
    if not is_tracing(packed_sequence_mask) and (packed_sequence_mask[:, -1] == 0).all():
        return None
    return packed_sequence_mask


def preprocess(inputs_embeds, position_ids, attention_mask=None, cache=None):
    packed_sequence_mask = None
    if position_ids is not None and attention_mask is None and cache is None:
        batch_size = inputs_embeds.shape[0]
        if batch_size != position_ids.shape[0]:
            position_ids = position_ids.expand(batch_size, -1)
        packed_sequence_mask = find_packed_sequence_indices(position_ids)
    return inputs_embeds.sum() if packed_sequence_mask is None else packed_sequence_mask


check(preprocess, torch.randn(2, 6, 8), torch.arange(6)[None])
