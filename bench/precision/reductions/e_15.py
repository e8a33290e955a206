# e_15: torchvision torchvision/transforms/_presets.py:193 and :195 (CA101 isinstance(img1/img2, Tensor))
# OpticalFlow.forward is the preprocessing preset (weights.transforms()) and is documented to accept
# PIL.Image inputs; img1/img2 are the raw forward arguments, tested before any rebinding.
# (PIL is not installed here, so a stand-in non-Tensor image class is used.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class PILImage:  # stand-in for PIL.Image.Image
    def __init__(self, w, h):
        self.size = (w, h)


seen = {}


def optical_flow_forward(img1, img2):
    seen['img1'], seen['img2'] = img1, img2
    if not isinstance(img1, torch.Tensor):
        img1 = torch.zeros(3, img1.size[1], img1.size[0], dtype=torch.uint8)  # F.pil_to_tensor
    if not isinstance(img2, torch.Tensor):
        img2 = torch.zeros(3, img2.size[1], img2.size[0], dtype=torch.uint8)
    return img1.float().contiguous(), img2.float().contiguous()


optical_flow_forward(PILImage(32, 24), PILImage(32, 24))
print("img1/img2 types:", type(seen['img1']).__name__, type(seen['img2']).__name__)
claim(isinstance(seen['img1'], torch.Tensor) and isinstance(seen['img2'], torch.Tensor),
      "the preset's inputs may be PIL images, so the pil_to_tensor branches are live")
