# e_08: timm timm/layers/hybrid_embed.py:212 (CA101 isinstance(x, (list, tuple)))
# x = self.backbone(x). vision_transformer_hybrid builds backbones with features_only=True
# (e.g. resnet26d(features_only=True, out_indices=[4])), whose FeatureListNet forward returns a list.
# (The F.pad named by the linter is a later rebinding, not the tested value.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class FeatureListNet(nn.Module):  # what timm's features_only=True wrapper returns: List[Tensor]
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 4, 4)
        self.stage = nn.Conv2d(8, 16, 2, 2)

    def forward(self, x):
        out = []
        x = self.stem(x)
        x = self.stage(x)
        out.append(x)
        return out


backbone = FeatureListNet()
x = backbone(torch.randn(1, 3, 64, 64))
print("backbone output type:", type(x).__name__)
claim(isinstance(x, torch.Tensor) and not isinstance(x, (list, tuple)),
      "x is the backbone output, a list for features_only backbones, so the check is live")
