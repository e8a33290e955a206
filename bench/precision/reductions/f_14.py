# f_14: peft peft/tuners/lora/conversion.py:43 (CA102 `torch.searchsorted(cs, cutoff).item()` in
# _find_cutoff_index). It is called only from _convert_module_to_lora / _convert_miss_module_to_lora
# (@torch.no_grad), i.e. by convert_to_lora / save_as_lora, offline SVD-based conversion utilities run eagerly;
# no model forward reaches it. The .item() would break if compiled (printed), but it is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _find_cutoff_index(S: torch.Tensor, threshold: float) -> int:
    if S.dim() != 1:
        raise ValueError("Input vector must be 1d.")
    energy = S**2
    cs = torch.cumsum(energy, dim=0)
    total = cs[-1]
    cutoff = threshold * total
    k = torch.searchsorted(cs, cutoff).item()
    return k + 1


from torch._dynamo.utils import counters
counters.clear()
torch.compile(_find_cutoff_index, backend="eager")(torch.linspace(3, 1, 6), 0.9)
print("pattern alone, if it were compiled:", [str(r).splitlines()[0] for r in counters["graph_break"]] or "no break")

claim(False, "scope: _find_cutoff_index belongs to convert_to_lora/save_as_lora, an eager conversion utility")
