# vit_pytorch wwt.py:102 (CA104) `tuple((j, self.patch_pathway_id) for i, j in interactions if i == self.patch_pathway_id)`:
# `interactions` is the Python tuple of (int, int) pairs the model holds (self.interactions, passed to forward; also
# used as dict keys on line 97), so the filter compares Python ints: no tensor truth is taken, it compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Pathways(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_pathway_id = 0
        self.pathways = None

    def forward(self, x, interactions):
        pathways = self.pathways if self.pathways is not None else tuple(
            (j, self.patch_pathway_id) for i, j in interactions if i == self.patch_pathway_id)
        return x * len(pathways)


check(Pathways(), torch.ones(2), ((0, 1), (0, 2), (1, 2)))
