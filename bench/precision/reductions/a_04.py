# torchvision/models/detection/transform.py:176 CA102: int(torch.empty(1).uniform_(0.0, float(len(k))).item())
# in GeneralizedRCNNTransform.torch_choice, called from resize() in training mode (self.min_size is a tuple of
# ints). The sampled value is a real Tensor, so .item() graph-breaks in plain torch.compile of a training step.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class T(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.min_size = (32, 40, 48)

    def torch_choice(self, k: list[int]) -> int:
        index = int(torch.empty(1).uniform_(0.0, float(len(k))).item())
        return k[index]

    def forward(self, image):
        if self.training:
            size = self.torch_choice(self.min_size)
        else:
            size = self.min_size[-1]
        return torch.nn.functional.interpolate(image[None], size=(size, size), mode="bilinear")[0]


check(T().train(), torch.randn(3, 60, 80), mode="default")
