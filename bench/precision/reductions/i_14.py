# ultralytics/utils/loss.py CA110 nth 1 (line 140, BboxLoss.forward): fg_mask.nonzero(as_tuple=True) on the
# bool foreground mask would break if traced, but BboxLoss runs inside the detection criterion, which
# ultralytics' trainer calls eagerly (unwrap_model(model).loss(batch, preds)) outside the compiled
# model forward when compile=True; nothing else compiles it.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F
from torch import nn
from torch._dynamo.utils import counters


class Criterion(nn.Module):
    def forward(self, pred, batch):
        fg_mask = batch['target'].bool().any(1)
        fg_mask = fg_mask.nonzero(as_tuple = True)
        p = pred.permute(0, 2, 3, 1)
        return (p[fg_mask] - 1).abs().sum()


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding = 1)
        self.criterion = Criterion()

    def forward(self, img):
        return self.conv(img)

    def loss(self, batch, preds):
        return self.criterion(preds, batch)


torch._dynamo.reset()
counters.clear()
model = Model()
compiled = torch.compile(model, backend = "eager")  # ultralytics attempt_compile(self.model, ...)
img = torch.randn(2, 3, 8, 8)
batch = {"img": img, "target": (torch.rand(2, 8, 8, 8) > 0.7).float()}
for _ in range(2):
    # BaseTrainer._do_train with args.compile: "Decouple inference and loss calculations"
    preds = compiled(batch["img"])
    loss = model.loss(batch, preds)  # unwrap_model(self.model).loss(...): plain eager call
    loss.sum().backward()
breaks = {**counters["graph_break"], **counters["unimplemented"]}
claim(bool(breaks), "BboxLoss nonzero traced by Dynamo in ultralytics' compile=True training (graph breaks seen: %s)" % dict(breaks))
