# ultralytics/utils/torch_utils.py CA114 nth 1 (line 378, time_sync: `return time.perf_counter()`). time_sync is
# reached from compiled code only through BaseModel._profile_one_layer, which _predict_once calls under
# `if profile:`. BaseModel.forward(x, *args, **kwargs) -> predict(x, profile=False, ...) -> _predict_once(x, profile):
# nothing in ultralytics passes profile=True through a compiled forward (trainer/predictor/validator call model(x)
# or model(batch) after attempt_compile); per-layer profiling is an eager debugging call (model.predict(x, profile=True),
# which also runs thop and logs). The real forward path compiles whole under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import time

import torch
from torch import nn


def time_sync(device=None):
    if device is None or device.type not in {"cpu", "mps"}:
        accelerator = torch.cuda
        if accelerator.is_available() and hasattr(accelerator, "synchronize"):
            accelerator.synchronize()
    return time.perf_counter()


class Conv(nn.Conv2d):
    def __init__(self, c1, c2, i, f=-1):
        super().__init__(c1, c2, 3, padding=1)
        self.i, self.f = i, f


class BaseModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(Conv(3, 8, 0), Conv(8, 8, 1), Conv(8, 4, 2))
        self.save = set()

    def forward(self, x, *args, **kwargs):
        if isinstance(x, dict):
            return self.loss(x, *args, **kwargs)
        return self.predict(x, *args, **kwargs)

    def predict(self, x, profile=False, augment=False, embed=None):
        if augment:
            return self._predict_augment(x)
        return self._predict_once(x, profile, embed)

    def _predict_once(self, x, profile=False, embed=None):
        y, dt, embeddings = [], [], []
        embed = frozenset(embed) if embed else {-1}
        max_idx = max(embed)
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            if profile:
                self._profile_one_layer(m, x, dt)
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x

    def _profile_one_layer(self, m, x, dt):
        device = next(self.parameters()).device
        t = time_sync(device)
        for _ in range(10):
            m(x)
        dt.append((time_sync(device) - t) * 100)


check(BaseModel(), torch.randn(1, 3, 32, 32))
