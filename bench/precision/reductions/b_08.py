# diffusers autoencoder_kl_qwenimage.py (lines 184, 189, 191), autoencoder_kl_qwenimage21.py
# (293, 298, 300), autoencoder_kl_wan.py (283, 288, 290) CA104: the Resample 'upsample3d' cache checks
# `feat_cache[idx] is not None and feat_cache[idx] != "Rep"` / `== "Rep"` / `if feat_cache[idx] == "Rep":`.
# feat_cache[idx] is None, the str "Rep", or a Tensor; Tensor ==/!= str falls back to Python
# identity comparison (a constant bool), shape[2] is an int, so nothing is data-dependent.
# The reduction replays the real sequence of chunked decode calls: None -> "Rep" -> Tensor -> Tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

CACHE_T = 2


def resample_upsample3d(x, feat_cache, feat_idx):
    idx = feat_idx[0]
    if feat_cache[idx] is None:
        feat_cache[idx] = "Rep"
        feat_idx[0] += 1
    else:
        cache_x = x[:, :, -CACHE_T:, :, :].clone()
        if cache_x.shape[2] < 2 and feat_cache[idx] is not None and feat_cache[idx] != "Rep":
            cache_x = torch.cat([feat_cache[idx][:, :, -1, :, :].unsqueeze(2).to(cache_x.device), cache_x], dim=2)
        if cache_x.shape[2] < 2 and feat_cache[idx] is not None and feat_cache[idx] == "Rep":
            cache_x = torch.cat([torch.zeros_like(cache_x).to(cache_x.device), cache_x], dim=2)
        if feat_cache[idx] == "Rep":
            x = x * 2  # self.time_conv(x)
        else:
            x = x * 2 + feat_cache[idx][:, :, -1:].mean()  # self.time_conv(x, feat_cache[idx])
        feat_cache[idx] = cache_x
        feat_idx[0] += 1
    return x


def decode(z, feat_cache):
    out = []
    for i in range(z.shape[2]):  # one latent frame per call, as in WanDecoder/_decode
        feat_idx = [0]
        out.append(resample_upsample3d(z[:, :, i : i + 1], feat_cache, feat_idx))
    return torch.cat(out, 2)


check(decode, torch.randn(1, 4, 4, 8, 8), [None])
