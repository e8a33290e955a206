# diffusers pipelines/audioldm2/modeling_audioldm2.py:148 `attention_mask_1.new_ones((hidden_states[:2]))` and :150
# (CA143). The code passes a tensor slice (hidden_states[:2], a float tensor, meant as .shape[:2]) as the size of
# new_ones: it raises TypeError even eagerly, so the branch (one attention mask given without the other) is broken
# code, not a graph break a working model hits; the pipeline passes both masks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

hidden_states = torch.randn(2, 5, 8)
mask = torch.ones(2, 3, dtype=torch.long)
try:
    mask.new_ones((hidden_states[:2]))
    raised = False
except Exception as exc:  # TypeError: new_ones(): argument 'size' ... must be tuple of ints
    print(type(exc).__name__, str(exc).splitlines()[0])
    raised = True
claim(not raised, "the flagged line runs without error eagerly")
