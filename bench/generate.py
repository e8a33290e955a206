"""Generated modules for the size benchmarks (bench_static.py): ``n`` small ``nn.Module``
classes in one file (4,000 make about 900 KB), each ``forward`` with a branch, a graph break
every fourth class (``.item()``) and a call of the previous class's helper, so that the scan
has compiled code, findings and calls to resolve in every part of the file.

    python bench/generate.py N OUT.py
"""

import sys

HEADER = "import torch\nfrom torch import nn\n\n\n"

TEMPLATE = '''class Block{i}(nn.Module):
    def forward(self, x):
        y = self.proj(x) * {scale}
        if {branch}:
            y = y.relu()
        return helper{j}(y)


def helper{i}(t):
    return t + {i}


'''


def module(n: int) -> str:
    parts = [HEADER]
    for i in range(n):
        branch = "y.sum().item() > 0" if i % 4 == 0 else "x.dim() > 1"
        parts.append(TEMPLATE.format(i=i, j=max(0, i - 1), scale=1 + i % 3, branch=branch))
    return "".join(parts)


def classes_for(size: int) -> int:
    """How many classes make a module of about ``size`` bytes."""
    return max(1, round(size / (len(module(100)) / 100)))


if __name__ == "__main__":
    with open(sys.argv[2], "w", encoding="utf-8") as stream:
        stream.write(module(int(sys.argv[1])))
