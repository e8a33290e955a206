# ultralytics/utils/loss.py CA104 nth 1 (line 90, FocalLoss.forward): self.alpha = torch.tensor(alpha) is a
# Tensor, so the branch would break if traced - but it is a loss: with compile=True ultralytics' trainer
# compiles only the model forward (attempt_compile) and calls unwrap_model(model).loss(batch, preds)
# eagerly (validator likewise); with compile=False nothing is compiled. The line is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F
from torch import nn
from torch._dynamo.utils import counters


class Criterion(nn.Module):
    def __init__(self, gamma = 1.5, alpha = 0.25):
        super().__init__()
        self.gamma = gamma
        self.alpha = torch.tensor(alpha)

    def forward(self, pred, batch):
        label = batch['target']
        loss = F.binary_cross_entropy_with_logits(pred, label, reduction = 'none')
        pred_prob = pred.sigmoid()
        p_t = label * pred_prob + (1 - label) * (1 - pred_prob)
        loss *= (1.0 - p_t) ** self.gamma
        if (self.alpha > 0).any():
            self.alpha = self.alpha.to(device = pred.device, dtype = pred.dtype)
            loss *= label * self.alpha + (1 - label) * (1 - self.alpha)
        return loss.mean(1).sum()


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
claim(bool(breaks), "FocalLoss alpha branch traced by Dynamo in ultralytics' compile=True training (graph breaks seen: %s)" % dict(breaks))
