# ultralytics/utils/tal.py CA110 nth 1 (line 232, TaskAlignedAssigner.get_box_metrics): mask_gt.nonzero on the
# bool gt mask would break if traced, but the assigner belongs to the detection criterion, which the
# trainer runs eagerly outside the compiled model forward (unwrap_model(model).loss) when compile=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F
from torch import nn
from torch._dynamo.utils import counters


class Criterion(nn.Module):
    def forward(self, pd_scores, batch):
        mask_gt = batch['target'].bool()
        indices = mask_gt.nonzero(as_tuple=True)
        return pd_scores[indices[0], indices[1], indices[2], indices[3]].sum()


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
claim(bool(breaks), "TaskAlignedAssigner nonzero traced by Dynamo in ultralytics' compile=True training (graph breaks seen: %s)" % dict(breaks))
