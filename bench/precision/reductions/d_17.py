# torchao torchao/quantization/pt2e/observer.py:1236 CA111 nth 1 -- bucket_assignments[bucket_assignments >= self.bins] = self.bins - 1
# torchao torchao/quantization/pt2e/observer.py:1237 CA111 nth 1 -- bucket_assignments[bucket_assignments < 0] = 0
# HistogramObserver._upscale_histogram runs during eager PT2E calibration (not compiled); and even when traced,
# a boolean-mask store of a Python int lowers to index_put_ without a graph break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

bins, upsample_rate = 16, 4


def upscale(histogram, orig_min, orig_max, update_min, update_max):
    histogram = histogram.repeat_interleave(upsample_rate) / upsample_rate
    bin_size = (orig_max - orig_min) / (bins * upsample_rate)
    mid = torch.linspace(0.0, 1.0, bins * upsample_rate + 1)[:-1] * (orig_max - orig_min) + orig_min + 0.5 * bin_size
    bounds = torch.linspace(0.0, 1.0, bins + 1) * (update_max - update_min) + update_min
    bucket_assignments = torch.bucketize(mid, bounds, right=True) - 1
    bucket_assignments[bucket_assignments >= bins] = bins - 1
    bucket_assignments[bucket_assignments < 0] = 0
    return bucket_assignments, histogram


check(upscale, torch.rand(bins), torch.tensor(-1.0), torch.tensor(1.0), torch.tensor(-2.0), torch.tensor(2.0), mode="default")
