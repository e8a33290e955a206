# vit_pytorch/na_vit.py CA102 nth 1 (line 330) and nth 1 (line 371), NaViT.forward:
# lengths / num_images are int64 Tensors built with torch.tensor(...) from Python ints; .amax().item()
# reads a value into Python -> plain torch.compile graph-breaks (capture_scalar_outputs off).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def f(x, seq_lens, num_imgs):
    device = x.device
    lengths = torch.tensor(seq_lens, device = device, dtype = torch.long)
    seq_arange = torch.arange(lengths.amax().item(), device = device)
    key_pad_mask = seq_arange[None, :] < lengths[:, None]
    num_images = torch.tensor(num_imgs, device = device, dtype = torch.long)
    max_queries = num_images.amax().item()
    queries = x[:, None].expand(-1, max_queries, -1)
    return key_pad_mask, queries


check(f, torch.randn(2, 8), [5, 7], [2, 1], mode="default")
