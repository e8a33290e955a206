# timm/models/naflexvit.py:222 CA102 (nth 1 and 2): int(h.item()), int(w.item()) in calculate_naflex_grid_sizes.
# Its only callers (_apply_learned_naflex_pos_embed, _apply_factorized_naflex_pos_embed, _generate_rope_naflex)
# are decorated @disable_compiler (= torch.compiler.disable), so Dynamo never traces the .item() line: the
# compiled forward skips the disabled call, and no break is ever attributed to Tensor.item().
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch._dynamo.utils import counters


def calculate_naflex_grid_sizes(_coord: torch.Tensor):
    max_y = _coord[:, :, 0].amax(dim=1) + 1
    max_x = _coord[:, :, 1].amax(dim=1) + 1
    return [(int(h.item()), int(w.item())) for h, w in zip(max_y, max_x)]


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.pos_embed = torch.nn.Parameter(torch.randn(1, 8, 8, 16))

    @torch.compiler.disable
    def _apply_learned_naflex_pos_embed(self, x, patch_coord):
        naflex_grid_sizes = calculate_naflex_grid_sizes(patch_coord)
        return x + len(naflex_grid_sizes)

    def forward(self, x, patch_coord):
        x = x * 2
        x = self._apply_learned_naflex_pos_embed(x, patch_coord)
        return x + 1


coord = torch.stack(torch.meshgrid(torch.arange(4), torch.arange(3), indexing="ij"), -1).reshape(1, 12, 2).repeat(2, 1, 1)
torch._dynamo.reset()
counters.clear()
torch.compile(Model(), backend="eager")(torch.randn(2, 12, 16), coord)
reasons = [str(r).splitlines()[0] for r in counters["graph_break"]]
print("graph breaks:", reasons)
claim(any("item" in r for r in reasons),
      "the .item() line runs only inside torch.compiler.disable()d methods; Dynamo never traces it")
