"""What crosses to a worker: typed records that survive their JSON, one request shape from the
runner's pool and from the pytest plugin, each setting crossing once (no torch needed)."""

import json
import os
from pathlib import Path

import pytest

from compile_audit.dynamic import pool, recorded
from compile_audit.dynamic.protocol import (DEVICE_VARIABLE, Outcome, RecordedCall, RecordedSpec, SynthSpec,
                                            TargetRequest, WorkerStart)
from compile_audit.dynamic.targets import TargetRef
from test_architecture import import_graph

pytest_plugins = ["pytester"]

RECORDED = RecordedSpec("/r/m.MLP.forward.1.0.1.pt", "pkg.models", "MLP", "forward", "/r/m.MLP.forward.1.0.2.pt",
                        ("/project", "/project/tests"))


@pytest.mark.parametrize("request_", [
    TargetRequest(0, "/p/audit_model.py", "audit_block"),
    TargetRequest(3, "/p/audit_model.py", "audit_block", "inductor", "cuda", {"/p/model.py": [4, 9]}),
    TargetRequest(1, "/p/pkg/models.py", "MLP.forward", watch={"/p/pkg/models.py": [12]}, recorded=RECORDED),
    TargetRequest(2, "/p/pkg/models.py", "MLP", recorded=RecordedSpec("/r/f.pt", "pkg.models", None, "pick")),
    TargetRequest(4, "/p/pkg/models.py", "Tagger", synthesized=SynthSpec("long", (2, 8), high=100)),
    TargetRequest(5, "/p/pkg/models.py", "Stem", synthesized=SynthSpec("float", (1, 3, 16, 16))),
], ids=["plain", "settings", "recorded", "recorded-function", "synth-long", "synth-float"])
def test_a_request_survives_its_json(request_):
    line = request_.to_json()
    assert "\n" not in line  # one line on the worker's stdin
    assert TargetRequest.from_json(line) == request_
    assert TargetRequest.from_json(line).to_json() == line


@pytest.mark.parametrize("call", [
    RecordedCall("models.MLP.forward.123", 0, 1, "tests/test_models.py::test_mlp", "/p/pkg/models.py", "pkg.models",
                 "MLP", "forward", 7, True, snapshot="models.MLP.forward.123.0.1.pt", paths=("/p", "/p/tests")),
    RecordedCall("models.pick.9", 1, 2, "python run.py", "/p/pkg/models.py", "pkg.models", None, "pick", 20, False,
                 flags="largest=True", snapshot="models.pick.9.1.2.pt"),
    RecordedCall("models.guarded.9", 0, 1, "tests/test_models.py::test_guarded", "/p/pkg/models.py", "pkg.models",
                 None, "guarded", 30, False, error="TypeError: cannot pickle '_thread.lock' object"),
], ids=["method", "variant", "failed"])
def test_a_recorded_call_survives_its_json(call):
    line = call.to_json()
    assert "\n" not in line
    assert RecordedCall.from_json(line) == call


def test_the_start_settings_survive_the_environment():
    for start in (WorkerStart(), WorkerStart(("/a", "/b c")), WorkerStart(("/a",), 2 << 30)):
        env = start.to_env()
        assert all(isinstance(v, str) for v in env.values())
        assert WorkerStart.from_env(env) == start
    # the device is not a start setting: it travels in each request
    assert DEVICE_VARIABLE not in WorkerStart(("/a",), 1).to_env()
    assert set(pool.worker_env(["/a"], 5)) == set(WorkerStart(("/a",), 5).to_env())


def test_the_recorder_writes_what_the_parent_reads(tmp_path):
    """The recorder (loaded by path, outside the package) writes ``RecordedCall`` lines with the
    protocol loaded by its path; ``recorded`` reads them back as the same records."""
    recorder = recorded.load_recorder()
    recorder._STATE["spec"] = {"folder": str(tmp_path), "functions": {}}
    calls = [RecordedCall("m.f.1", 0, 1, "src", str(tmp_path / "m.py"), "m", None, "f", 3, False, snapshot="m.f.1.0.1.pt"),
             RecordedCall("m.f.1", 0, 2, "src", str(tmp_path / "m.py"), "m", None, "f", 3, False, snapshot="m.f.1.0.2.pt"),
             RecordedCall("m.g.1", 0, 1, "src", str(tmp_path / "m.py"), "m", None, "g", 9, False, error="E: no")]
    for call in calls:
        recorder._note(recorder.RecordedCall(**vars(call)))
    assert recorded.load_index(tmp_path) == calls
    summary = recorded.summary(calls, tmp_path)
    assert summary[0] == "compile-audit: recorded 1 function (1 with a second call of other shapes)"
    assert "  could not snapshot m.g from src: E: no" in summary


class _FakeWorker:
    def __init__(self, cwd, env, *args, **kwargs):
        self.cwd, self.env = cwd, env


@pytest.fixture
def sent(monkeypatch):
    """The requests (and the start environments of the workers made for them) that would go to
    a worker: ``pool.run_one`` and ``pool.Worker`` stand in, nothing starts."""
    captured = []

    def run_one(worker, make, request, timeout):
        captured.append((request, make().env))
        return Outcome(), None

    monkeypatch.setattr(pool, "run_one", run_one)
    monkeypatch.setattr(pool, "Worker", _FakeWorker)
    return captured


def _shape(value):
    """The JSON shape of a value: its keys and the types of their values, all the way down."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return type(value).__name__


AUDIT = "import torch\n\n\ndef audit_block():\n    return (lambda x: x + 1), (torch.ones(2),)\n"


def test_the_plugin_and_the_pool_send_the_same_request(pytester, sent):
    pytester.makepyfile(audit_model=AUDIT)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:asyncio", "--compile-audit")
    result.assert_outcomes(passed=1)
    (plugin_request, plugin_env), = sent
    root = pytester.path
    ref = TargetRef(Path(os.path.abspath(root / "audit_model.py")), "audit_block", 4, "audit_model.py::audit_block")
    pool.run_targets([ref], roots=[str(root)], cwd=root, backend="eager", device="cpu", timeout=5)
    (pool_request, pool_env) = sent[1]

    assert isinstance(plugin_request, TargetRequest) and isinstance(pool_request, TargetRequest)
    assert plugin_request == pool_request
    assert _shape(json.loads(plugin_request.to_json())) == _shape(json.loads(pool_request.to_json()))
    # the same start environment, made by the same helper: no device in it
    assert set(plugin_env) == set(pool_env) and DEVICE_VARIABLE not in pool_env
    assert WorkerStart.from_env(plugin_env).roots == (str(root),)


def test_the_dynamic_layer_keeps_its_imports_short():
    """``protocol`` is a leaf; no chain of compile_audit imports from a dynamic module is longer
    than 4 modules (``reconcile`` reads the linter's rules: another measure)."""
    graph = import_graph()
    assert graph["compile_audit.dynamic.protocol"] == {}

    def longest(module, seen=()):
        return 1 + max((longest(t, (*seen, module)) for t in graph.get(module, {}) if t not in seen), default=0)

    lengths = {m: longest(m) for m in graph if m.startswith("compile_audit.dynamic") and not m.endswith(".reconcile")}
    assert max(lengths.values()) <= 4, lengths
