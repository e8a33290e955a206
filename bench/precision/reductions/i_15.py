# ultralytics/utils/loss.py CA111 nth 1 at lines 1472, 1477, 1486, 1487 (SemanticSegmentationLoss._ce_loss /
# _dice_loss): valid is a bool pixel mask, so flat[valid] etc. would break if traced - but the segmentation
# criterion runs eagerly: with compile=True the trainer compiles only the model forward and calls
# unwrap_model(model).loss(batch, preds) outside it (validator likewise).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F
from torch import nn
from torch._dynamo.utils import counters


class Criterion(nn.Module):
    def __init__(self, nc = 8):
        super().__init__()
        self.nc = nc
        self.ce = nn.CrossEntropyLoss(reduction = 'sum', ignore_index = 255)

    def forward(self, preds, batch):
        masks = batch['target'].argmax(1).to(torch.int32)
        masks[:, 0] = 255
        valid = (masks != 255).reshape(-1)
        flat = masks.reshape(-1)
        logits = preds.permute(0, 2, 3, 1).reshape(-1, self.nc)
        target = flat.long().clone()
        target[~valid] = 255
        denominator = valid.sum() if self.ce.weight is None else self.ce.weight[target[valid]].sum()
        ce = self.ce(logits, target) / denominator.clamp_min(1)
        pred_soft = F.softmax(preds, dim = 1)
        t = flat[valid].long()
        flat_pred = pred_soft.float().permute(0, 2, 3, 1).reshape(-1, self.nc)[valid]
        return ce + flat_pred.gather(1, t[:, None]).sum()


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
claim(bool(breaks), "SemanticSegmentationLoss mask indexing traced by Dynamo in ultralytics' compile=True training (graph breaks seen: %s)" % dict(breaks))
