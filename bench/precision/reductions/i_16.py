# ultralytics/utils/tal.py CA103 nth 1 (line 114, TaskAlignedAssigner.forward): the .tolist() chain runs
# only in the CUDA out-of-memory recovery path (after _forward raised OOM), and the assigner is called
# from the detection criterion, which ultralytics' trainer runs eagerly outside the compiled model
# forward (unwrap_model(model).loss). Never traced in normal use.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F
from torch import nn
from torch._dynamo.utils import counters


class Criterion(nn.Module):
    n_max_boxes = 8

    def _forward(self, pred, mask_gt):
        raise RuntimeError('CUDA out of memory')

    def forward(self, pred, batch):
        mask_gt = batch['target'][:, :, :1, 0].clone()
        try:
            return self._forward(pred, mask_gt)
        except RuntimeError as e:
            if 'out of memory' not in str(e).lower():
                raise
        last_gt_idx = (
            mask_gt.squeeze(-1)
            .bool()
            .mul(torch.arange(1, self.n_max_boxes + 1, device=mask_gt.device))
            .amax(1)
            .clamp_(min=1)
            .tolist()
        )
        return pred[:, : max(last_gt_idx)].sum()


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
claim(bool(breaks), "TaskAlignedAssigner OOM .tolist() traced by Dynamo in ultralytics' compile=True training (graph breaks seen: %s)" % dict(breaks))
