# diffusers/models/transformers/transformer_prx.py CA106 nth 1 and 2 (line 614, seq2img):
# `h, w = (int(shape[0]), int(shape[1]))` sits in the `elif isinstance(shape, torch.Tensor)` branch. The only
# caller, PRXTransformer2DModel.forward, passes `hidden_states.shape`: a torch.Size, which is a tuple, so the
# `isinstance(shape, tuple)` branch is taken (the annotation `shape: torch.Tensor` is wrong). The int() line is
# never traced; the real forward path (img2seq -> ... -> seq2img(img, p, hidden_states.shape)) compiles whole.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


def img2seq(img: torch.Tensor, patch_size: int) -> torch.Tensor:
    b, c, h, w = img.shape
    p = patch_size
    img = img.reshape(b, c, h // p, p, w // p, p)
    img = torch.einsum("nchpwq->nhwcpq", img)
    img = img.reshape(b, -1, c * p * p)
    return img


def seq2img(seq: torch.Tensor, patch_size: int, shape: torch.Tensor) -> torch.Tensor:
    if isinstance(shape, tuple):
        h, w = shape[-2:]
    elif isinstance(shape, torch.Tensor):
        h, w = (int(shape[0]), int(shape[1]))
    else:
        raise NotImplementedError(f"shape type {type(shape)} not supported")
    b, l, d = seq.shape
    p = patch_size
    c = d // (p * p)
    seq = seq.reshape(b, h // p, w // p, c, p, p)
    seq = torch.einsum("nhwcpq->nchpwq", seq)
    seq = seq.reshape(b, c, h, w)
    return seq


class PRXLike(nn.Module):
    def __init__(self, channels=4, patch_size=2, hidden=32):
        super().__init__()
        self.patch_size = patch_size
        self.img_in = nn.Linear(channels * patch_size * patch_size, hidden)
        self.final_layer = nn.Linear(hidden, channels * patch_size * patch_size)

    def forward(self, hidden_states):
        img = img2seq(hidden_states, self.patch_size)
        img = self.img_in(img)
        img = self.final_layer(img)
        return seq2img(img, self.patch_size, hidden_states.shape)


print("torch.Size is a tuple:", isinstance(torch.randn(1, 4, 8, 8).shape, tuple))
check(PRXLike(), torch.randn(2, 4, 8, 8), mode="default")
