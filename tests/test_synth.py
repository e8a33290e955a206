"""Synthesized audit targets for a project without any: which classes, which inputs, and a run."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from compile_audit.dynamic.protocol import SynthSpec
from compile_audit.dynamic.synth import synthesize
from conftest import ROOT

MODELS = '''
import torch
from torch import nn

from .layers import scale


class MLP(nn.Module):
    def __init__(self, dim=16, hidden=32):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        h = self.fc1(x)
        print("hidden", h.shape)
        return scale(self.fc2(h))


class Tagger(nn.Module):
    def __init__(self, vocab=100):
        super().__init__()
        self.embed = nn.Embedding(vocab, 8)
        self.head = nn.Linear(8, 3)

    def forward(self, tokens):
        out = self.head(self.embed(tokens))
        if out.sum() > 0:
            return out
        return -out


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, images, scale=1.0):
        return self.conv(images) * scale


class Norm(torch.nn.Module):
    def __init__(self, width: int = 12):
        super().__init__()
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(x)


class NeedsConfig(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.fc = nn.Linear(config.dim, 2)

    def forward(self, x):
        return self.fc(x).item()


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x, mask):
        return self.fc(x) * mask


class UnknownSize(nn.Module):
    def __init__(self, dim=None):
        super().__init__()
        self.fc = nn.Linear(dim, 4)

    def forward(self, x):
        return self.fc(x)


model = torch.compile(MLP())
tagger = torch.compile(Tagger())
'''


def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "layers.py").write_text("def scale(x):\n    return x * 2\n")
    (tmp_path / "pkg" / "models.py").write_text(textwrap.dedent(MODELS).lstrip())
    return tmp_path


def test_the_classes_the_runner_can_build_unaided_and_their_inputs(tmp_path):
    refs = synthesize([project(tmp_path) / "pkg" / "models.py"], tmp_path)
    specs = {r.function: r.synthesized for r in refs}
    assert specs == {
        "MLP": SynthSpec("float", (2, 16)),
        "Tagger": SynthSpec("long", (2, 8), high=100),
        "Stem": SynthSpec("float", (1, 3, 16, 16)),
        "Norm": SynthSpec("float", (2, 8, 12)),
    }
    assert all(r.display.endswith(f"::{r.function} (synthesized)") for r in refs)


@pytest.mark.dynamic
def test_a_project_without_targets_gets_synthesized_ones(tmp_path):
    pytest.importorskip("torch")
    project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", ".", "--confirm", "--output-format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    assert "synthesized 4 targets" in proc.stderr, proc.stderr
    document = json.loads(proc.stdout)
    statuses = {(f["code"], f["line"]): (f["status"], f["target"]) for f in document["findings"]}
    lines = textwrap.dedent(MODELS).lstrip().splitlines()

    def line(text):
        return next(n for n, source in enumerate(lines, 1) if source.strip() == text)

    assert statuses[("CA105", line('print("hidden", h.shape)'))] == ("confirmed", "pkg/models.py::MLP (synthesized)")
    assert statuses[("CA104", line("if out.sum() > 0:"))] == ("confirmed", "pkg/models.py::Tagger (synthesized)")
    # NeedsConfig cannot be built unaided
    assert statuses[("CA102", line("return self.fc(x).item()"))][0] == "unreached"
    assert {t["target"] for t in document["targets"]} == {
        f"pkg/models.py::{name} (synthesized)" for name in ("MLP", "Tagger", "Stem", "Norm")}
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", ".", "--confirm", "--no-synthesize",
                           "--output-format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    assert "no audit targets" in proc.stderr
    assert {f["status"] for f in json.loads(proc.stdout)["findings"]} == {"static"}
