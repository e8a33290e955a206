# f_17: peft peft/tuners/psoft/layer.py:120 (CA104 `if torch.isfinite(norm) and norm > eps:` in
# OrthLayer._project_Q). With PsoftConfig(use_cayley_neumann=True, cayley_neumann_eps=0.9) (a documented
# option), get_matrix() -> _project_Q runs in OrthLayer.forward on every PSOFT forward; norm is a 0-d tensor
# from torch.linalg.norm, so the `if` is a data-dependent branch -> break under fullgraph.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class OrthLayer(nn.Module):
    def __init__(self, size=4, use_cayley_neumann=True, num_cayley_neumann_terms=5, cayley_neumann_eps=0.9):
        super().__init__()
        self.size = size
        self.use_cayley_neumann = use_cayley_neumann
        self.num_cayley_neumann_terms = num_cayley_neumann_terms
        self.cayley_neumann_eps = cayley_neumann_eps
        self.weight = nn.Parameter(torch.randn((size * (size - 1)) // 2) * 0.1)
        rows, cols = torch.triu_indices(size, size, 1)
        self.register_buffer("rows", rows, persistent=False)
        self.register_buffer("cols", cols, persistent=False)

    def _skew_symmetric(self):
        Q = torch.zeros((self.size, self.size), device=self.weight.device, dtype=self.weight.dtype)
        Q = Q.index_put((self.rows, self.cols), self.weight)
        return Q - Q.transpose(0, 1)

    def _project_Q(self, Q, eps: float = 0.9):
        norm = torch.linalg.norm(Q, ord="fro")
        if torch.isfinite(norm) and norm > eps:
            Q = Q * (eps / (norm + 1e-12))
        return Q

    def get_matrix(self):
        Q = self._skew_symmetric()
        id_mat = torch.eye(self.size, device=Q.device, dtype=Q.dtype)
        if self.use_cayley_neumann:
            if self.cayley_neumann_eps is not None:
                Q = self._project_Q(Q, eps=self.cayley_neumann_eps)
            t = int(self.num_cayley_neumann_terms)
            R = id_mat.clone()
            if t > 1:
                R.add_(Q, alpha=2.0)
                if t > 2:
                    Q_squared = Q @ Q
                    R.add_(Q_squared, alpha=2.0)
                    Q_power = Q_squared
                    for _ in range(3, t - 1):
                        Q_power = Q_power @ Q
                        R.add_(Q_power, alpha=2.0)
                    Q_power = Q_power @ Q
                    R.add_(Q_power)
        else:
            R = torch.linalg.solve(id_mat - Q, id_mat + Q, left=False)
        return R

    def forward(self, input):
        R = self.get_matrix()
        return input @ R.t()


check(OrthLayer(), torch.randn(3, 4))
