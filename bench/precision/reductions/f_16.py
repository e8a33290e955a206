# f_16: peft peft/tuners/poly/router.py:65 (CA102 `if task_ids.max().item() >= self.n_tasks:` in
# PolyRouter.forward). Poly Linear.forward calls poly_router(task_ids=task_ids, input_ids=x) on every forward;
# task_ids is the per-example LongTensor passed to PeftModel.forward, so .item() graph-breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn

EPS = 1e-12


class PolyRouter(nn.Module):
    def __init__(self, n_tasks=4, n_skills=2, n_splits=1):
        super().__init__()
        self.n_tasks, self.n_skills, self.n_splits = n_tasks, n_skills, n_splits
        self.module_logits = nn.Parameter(torch.empty((n_tasks, n_splits * n_skills)).uniform_(-1e-3, 1e-3))

    def forward(self, task_ids: torch.Tensor, input_ids: torch.Tensor):
        if task_ids is None:
            raise ValueError("task_ids should not be None.")
        if task_ids.max().item() >= self.n_tasks:
            raise ValueError(f"Only {self.n_tasks} tasks available. Found task id = {task_ids.max().item()}")
        task_ids = task_ids.to(self.module_logits.device)
        module_logits = self.module_logits[task_ids]
        module_logits = module_logits.view(-1, self.n_splits, self.n_skills)
        module_logits = torch.sigmoid(module_logits)
        return module_logits / (module_logits.sum(dim=-1, keepdim=True) + EPS)


check(PolyRouter().eval(), torch.tensor([0, 2, 1]), torch.randn(3, 5, 8), mode="default")
