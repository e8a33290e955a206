# segmentation_models_pytorch/encoders/_dpn.py CA105 nth 1 (line 307, adaptive_avgmax_pool2d): the print is
# the warning for an invalid pool_type. Its only callers (DPN.logits) pass the constants "avgmax" and "avg",
# so the branch is never taken (and DPNEncoder.forward does not even call logits); both real calls compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def adaptive_avgmax_pool2d(x, pool_type="avg", padding=0, count_include_pad=False):
    if pool_type == "avgmaxc":
        x = torch.cat([F.avg_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding, count_include_pad=count_include_pad),
                       F.max_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding)], dim=1)
    elif pool_type == "avgmax":
        x_avg = F.avg_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding, count_include_pad=count_include_pad)
        x_max = F.max_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding)
        x = 0.5 * (x_avg + x_max)
    elif pool_type == "max":
        x = F.max_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding)
    else:
        if pool_type != "avg":
            print("Invalid pool type %s specified. Defaulting to average pooling." % pool_type)
        x = F.avg_pool2d(x, kernel_size=(x.size(2), x.size(3)), padding=padding, count_include_pad=count_include_pad)
    return x


last_linear = torch.nn.Conv2d(8, 4, kernel_size=1)


def logits(features, training):  # DPN.logits, both branches
    if not training:
        x = F.avg_pool2d(features, kernel_size=7, stride=1)
        out = adaptive_avgmax_pool2d(last_linear(x), pool_type="avgmax")
    else:
        out = last_linear(adaptive_avgmax_pool2d(features, pool_type="avg"))
    return out.view(out.size(0), -1)


check(lambda f: (logits(f, False), logits(f, True)), torch.randn(2, 8, 9, 9))
