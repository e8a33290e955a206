"""The fixes, proven: a copy of the seed fixtures gets `--fix --unsafe-fixes`; its seed targets
then compile with fullgraph=True, and every target gives the same outputs as the original on the
same inputs (the originals run eagerly, the fixed code compiled). Marked dynamic."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.dynamic
torch = pytest.importorskip("torch")

RUNNER = r"""
import json, sys
from pathlib import Path
import torch
from compile_audit.dynamic.probe import unwrap
from compile_audit.dynamic.targets import collect
from compile_audit.dynamic.worker import load_audit_module
from compile_audit.target import Target

folder, out, eager = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "eager"
results, modules = {}, {}

def tensors(value):
    if isinstance(value, torch.Tensor):
        return [value.detach()]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in tensors(v)]
    return []

for ref in collect([folder], folder, folder):
    module = load_audit_module(str(ref.file), modules)
    name = ref.display
    target = Target.coerce(getattr(module, ref.function)())
    grad = torch.no_grad() if target.no_grad else torch.enable_grad()
    entry = {}
    try:
        with grad:
            if eager:
                value = unwrap(target.fn)(*target.args, **target.kwargs)
            else:
                torch._dynamo.reset()
                value = torch.compile(unwrap(target.fn), fullgraph=True, backend="eager")(*target.args, **target.kwargs)
        entry["outputs"] = [t.tolist() for t in tensors(value)]
    except Exception as exc:
        entry["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    results[name] = entry
Path(out).write_text(json.dumps(results))
"""


def _run(folder, mode, tmp_path):
    out = tmp_path / f"{folder.name}-{mode}.json"
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(folder), str(out), mode],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


def test_fixed_seed_fixtures_compile_whole_and_compute_the_same(tmp_path):
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", "scan", ".", "--fix", "--unsafe-fixes", "--no-source"],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Fixed" in proc.stderr
    original = _run(FIXTURES, "eager", tmp_path)
    fixed = _run(copy, "compiled", tmp_path)
    assert set(original) == set(fixed)
    for name, entry in fixed.items():
        if name.startswith(("flex_block/", "llama_flex/")):
            assert "error" not in entry, f"{name} does not compile whole after the fixes: {entry['error']}"
    compared = 0
    for name, reference in original.items():
        if "error" in reference or "error" in fixed[name]:
            continue
        got = [torch.tensor(t) for t in fixed[name]["outputs"]]
        want = [torch.tensor(t) for t in reference["outputs"]]
        assert len(got) == len(want), name
        for a, b in zip(got, want):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5, msg=name)
        compared += 1
    assert compared >= 6
    # seed 004's mask: the original cannot run at all, the fixed one compiles
    assert "error" in original["llama_flex/audit_llama_flex.py::audit_before_mask"]
    assert "error" not in fixed["llama_flex/audit_llama_flex.py::audit_before_mask"]
