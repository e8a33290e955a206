# diffusers autoencoder_kl_cogvideox.py:178,293,417,512,619,750,909 CA108 nth 1-7 -- conv_cache = conv_cache or {}
# diffusers autoencoder_kl_mochi.py:111,201,301,375,505,616 CA108 nth 1-6 -- conv_cache = conv_cache or {}
# conv_cache is dict[str, Tensor | dict] | None: None on the first frame batch (_encode/_decode set conv_cache=None),
# afterwards the nested dict returned by the previous call. The "or" on a dict/None is plain Python truthiness.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class CausalConv(torch.nn.Module):
    def forward(self, x, conv_cache=None):  # CogVideoXCausalConv3d: conv_cache is a Tensor or None
        if conv_cache is not None:
            x = torch.cat([conv_cache, x], dim=2)
        return x * 2, x[:, :, -2:].clone()


class ResBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = CausalConv()

    def forward(self, x, conv_cache=None):
        new_conv_cache = {}
        conv_cache = conv_cache or {}
        x, new_conv_cache["conv1"] = self.conv1(x, conv_cache=conv_cache.get("conv1"))
        return x, new_conv_cache


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.block = ResBlock()

    def forward(self, x, conv_cache=None):
        new_conv_cache = {}
        conv_cache = conv_cache or {}
        x, new_conv_cache["down_block_0"] = self.block(x, conv_cache=conv_cache.get("down_block_0"))
        return x, new_conv_cache


enc = Encoder()


def encode(x):  # AutoencoderKLCogVideoX._encode frame-batch loop
    conv_cache = None
    outs = []
    for i in range(2):
        h, conv_cache = enc(x[:, :, 4 * i : 4 * (i + 1)], conv_cache=conv_cache)
        outs.append(h)
    return outs


check(encode, torch.rand(1, 2, 8, 4, 4))
