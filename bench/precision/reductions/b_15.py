# torchtune/modules/loss/kd_losses.py CA104 nth 1 (line 114, ReverseKLLoss.forward):
# `if torch.sum(mask.view(-1), dim=0) == 0:` - a 0-d Tensor compared to 0; reached with the default
# normalize=True when ReverseKLLoss itself is compiled (training.compile_loss compiles whole module).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


class ReverseKLLoss(torch.nn.Module):
    def __init__(self, ignore_index=-100):
        super().__init__()
        self.ignore_index = ignore_index

    def forward(self, student_logits, teacher_logits, labels, normalize=True):
        student_prob = F.softmax(student_logits, dim=-1, dtype=torch.float32)
        student_logprob = F.log_softmax(student_logits, dim=-1, dtype=torch.float32)
        teacher_logprob = F.log_softmax(teacher_logits, dim=-1, dtype=torch.float32)
        inf_mask = torch.isinf(student_logits) | torch.isinf(teacher_logits)
        prod_probs = torch.masked_fill(student_prob * teacher_logprob, inf_mask, 0)
        prod_probs -= torch.masked_fill(student_prob * student_logprob, inf_mask, 0)
        x = torch.sum(prod_probs, dim=-1).view(-1)
        mask = (labels != self.ignore_index).int()
        if not normalize:
            return -torch.sum(x * mask.view(-1), dim=0)
        if torch.sum(mask.view(-1), dim=0) == 0:
            return torch.tensor(0.0, device=x.device)
        return -torch.sum(x * mask.view(-1), dim=0) / torch.sum(mask.view(-1), dim=0)


check(ReverseKLLoss(), torch.randn(6, 32), torch.randn(6, 32), torch.tensor([1, 2, -100, 4, 5, 6]))
