"""Generated modules for the size benchmarks (bench_static.py): ``n`` small ``nn.Module``
classes in one file, each with a ``forward`` that holds a graph break every fourth class (a
``.item()``) and a helper call, so that the scan has compiled code, findings and calls to
resolve in every part of the file.

    python bench/generate.py N OUT.py
"""

import sys

HEADER = "import torch\nfrom torch import nn\n\n\n"

TEMPLATE = '''class Block{i}(nn.Module):
    """Block {i}: a linear layer and a scaled activation."""

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        self.proj = nn.Linear(width, width)
        self.scale = {scale}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.proj(x) * self.scale
        if {branch}:
            y = torch.relu(y)
        return helper{j}(y)


def helper{i}(t):
    return t + {i}


'''


def module(n: int) -> str:
    parts = [HEADER]
    for i in range(n):
        branch = "y.sum().item() > 0" if i % 4 == 0 else "self.scale > 1"
        parts.append(TEMPLATE.format(i=i, j=max(0, i - 1), scale=1 + i % 3, branch=branch))
    return "".join(parts)


if __name__ == "__main__":
    with open(sys.argv[2], "w", encoding="utf-8") as stream:
        stream.write(module(int(sys.argv[1])))
