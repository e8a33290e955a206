"""The dynamic contract, case by case: the runner says what a bare torch.compile says
(marker: dynamic; each test compiles for real, in the runner's workers and in a bare process)."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.dynamic
torch = pytest.importorskip("torch")


def run(*argv, cwd, env=None, timeout=600):
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", *map(str, argv)],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout, proc.stderr


def write(folder: Path, files: dict) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return folder


def by_target(document) -> dict:
    return {t["target"].split("::")[-1]: t for t in document["targets"]}


MODEL = """
import torch


def cond_print(x):
    def then(x):
        print("then")
        return x.sin()

    def otherwise(x):
        return x.cos()

    return torch.cond(x.sum() > 0, then, otherwise, (x,))


def cond_constant(x):
    def then(x):
        print("then")
        return x.sin()

    return torch.cond(True, then, lambda x: x.cos(), (x,))


class WarmUp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.warmed = False

    def forward(self, x):
        if not self.warmed:
            self.warmed = True
            print("warming up")
        return x * 2


def leak_requires_grad(x):
    y = x * 2
    y.requires_grad_()
    return y


def scale_by_sum(x):
    return x * x.sum().item()


def plain(x):
    return x.sin() + 1


def late(x):
    k = x.sum().item()
    y = x * k
    print("done")
    return y


def twice(x):
    print(x.sum().item())
    return x


def gate(x):
    if bool(x.sum() > 0):
        return x * 2
    return x
"""

NAMES = ["cond_print", "cond_constant", "WarmUp", "leak_requires_grad", "scale_by_sum", "plain", "late",
         "twice", "gate"]
AUDIT = "import torch\nimport model\n" + "".join(
    f"\n\ndef audit_{name.lower()}():\n    return getattr(model, {name!r})"
    f"{'()' if name[0].isupper() else ''}, (torch.ones(3),)\n" for name in NAMES)

BARE = """
import json, sys
import torch
import torch._dynamo
from torch._dynamo import exc as dynamo_exc
import audit_model

def verdict(name, fullgraph):
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    fn, args = getattr(audit_model, name)()
    try:
        torch.compile(fn, backend="eager", fullgraph=fullgraph)(*args)
    except dynamo_exc.BackendCompilerFailed:
        return "backend-error", 0
    except dynamo_exc.TorchDynamoException:
        return "break", 0
    except Exception:
        return "error", 0
    return "compiled", sum(torch._dynamo.utils.counters["graph_break"].values())

out = {}
for name in sys.argv[1:]:  # each target built afresh for each pass, as a user's own script would
    strict, _ = verdict(name, True)
    _, default_breaks = verdict(name, False)
    out[name] = {"strict": strict, "default_breaks": default_breaks}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("contract"), {"model.py": MODEL, "audit_model.py": AUDIT, "bare.py": BARE})
    code, out, err = run("verify", ".", "--jobs", "2", "--output-format", "json", cwd=folder)
    assert code == 1, err
    return folder, json.loads(out)


def bare(folder: Path, targets: list) -> dict:
    """What a bare torch.compile does with each target, in a process of its own."""
    proc = subprocess.run([sys.executable, "bare.py", *targets], cwd=folder, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_fullgraph_verdict_is_what_a_bare_strict_compile_does(project):
    """1: on every target; a first-call initialisation and a torch.cond branch included. A
    skipped survey is only claimed where the default mode really has no break."""
    folder, document = project
    targets = by_target(document)
    expected = bare(folder, sorted(targets))
    for name, target in targets.items():
        assert target["fullgraph"]["status"] == expected[name]["strict"], name
        if target["survey_skipped"]:
            assert expected[name]["default_breaks"] == 0 or target["failed"] == "eager", name
    assert targets["audit_plain"]["survey_skipped"]  # the evidence rule saves a pass where it can
    assert not targets["audit_scale_by_sum"]["survey_skipped"]  # .item(): captured only by fullgraph=True


def test_a_hop_that_runs_dynamo_in_eager_mode_is_a_break_with_its_cause(project):
    """2: torch.cond fails even eagerly with Dynamo's error: a break at the branch's line."""
    folder, document = project
    findings = [f for f in document["findings"] if f["target"].endswith("audit_cond_print")]
    assert [f["code"] for f in findings] == ["CA902"], findings
    line = MODEL.lstrip().splitlines().index('        print("then")') + 1
    assert (findings[0]["path"], findings[0]["line"], findings[0]["gb_code"]) == ("model.py", line, "GB0059")
    assert "inside torch.cond" in findings[0]["message"]
    target = by_target(document)["audit_cond_print"]
    assert target["failed"] is None  # not a broken target: the eager failure is that break
    assert target["eager_error"]["graph_break"]["gb_code"] == "GB0059"


def test_break_type_and_code_come_from_one_record(project):
    """4: every (type, code) pair shown is one entry of this torch's graph-break registry."""
    registry = json.loads((Path(torch._dynamo.__file__).parent / "graph_break_registry.json").read_text())
    _, document = project
    records = []
    for target in document["targets"]:
        records += target["breaks"]
        if target["fullgraph"]["status"] == "break":
            records.append(target["fullgraph"])
    coded = [r for r in records if r["gb_code"]]
    assert len(coded) >= 8
    for record in coded:
        types = {entry["Gb_type"] for entry in registry[record["gb_code"]]}
        assert record["gb_type"] in types, record


def test_one_break_one_report_and_no_claim_of_an_earlier_stop(project):
    """10: one report per break site; "stopped at an earlier break" only when it did."""
    _, document = project
    sites = [(f["path"], f["line"]) for f in document["findings"]]
    assert len(sites) == len(set(sites)), sorted(sites)
    late = [f for f in document["findings"] if f["target"].endswith("audit_late")]
    item_line = MODEL.lstrip().splitlines().index("    k = x.sum().item()") + 1
    message = next(f["message"] for f in late if f["line"] == item_line)
    assert "earlier break" not in message and "a later break" in message


def test_verify_reports_at_the_user_frame_like_scan_confirm(tmp_path):
    """3: the model lives in src/, the targets in audits/: breaks land in src/, lines traced
    are counted, verify never says "no rule predicted it", and its breaks are scan --confirm's."""
    write(tmp_path, {
        "src/model.py": MODEL,
        "audits/audit_model.py": "import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'src'))\n"
                                 + AUDIT,
    })
    code, out, err = run("verify", "audits", "--output-format", "json", cwd=tmp_path)
    assert code == 1, err
    verified = json.loads(out)
    breaks = [f for f in verified["findings"] if f["code"] == "CA902"]
    assert breaks and all(f["path"] == "src/model.py" for f in breaks), breaks
    assert not any("no rule predicted" in f["message"] for f in verified["findings"])
    assert all(t["lines_traced"] > 0 for t in verified["targets"])
    code, out, err = run("scan", "src", "--confirm", "--targets", "audits", "--output-format", "json", cwd=tmp_path)
    confirmed = json.loads(out)

    def sites(document):
        return {t["target"]: sorted((b["frame"]["file"], b["frame"]["line"], b["gb_code"]) for b in t["breaks"])
                for t in document["targets"]}

    assert sites(verified) == sites(confirmed)


def test_no_targets_is_said_and_findings_stay_static(tmp_path):
    """6"""
    write(tmp_path, {"model.py": """
        import torch

        @torch.compile
        def f(x):
            print(x)
            return x
        """})
    code, out, err = run("scan", ".", "--confirm", "--output-format", "json", cwd=tmp_path)
    assert code == 1, err
    assert "no audit targets" in err
    document = json.loads(out)
    assert document["findings"] and {f["status"] for f in document["findings"]} == {"static"}


@pytest.mark.parametrize("setting", ["noqa", "per-file-ignores", "severity", "ignore"])
def test_settings_reach_the_tools_own_findings(tmp_path, setting):
    """7: CA902 obeys select/ignore, per-file-ignores, severity and noqa like every rule."""
    line = "    print('x')" + ("  # noqa: CA902" if setting == "noqa" else "")
    config = {
        "noqa": "",
        "per-file-ignores": '[tool.compile-audit.per-file-ignores]\n"model.py" = ["CA902"]\n',
        "severity": '[tool.compile-audit.severity]\nCA902 = "warning"\n',
        "ignore": 'ignore = ["CA902"]\n',
    }[setting]
    write(tmp_path, {
        "pyproject.toml": "[tool.compile-audit]\n" + config,
        "model.py": f"def f(x):\n{line}\n    return x * 2\n",
        "audit_model.py": "import torch\nfrom model import f\n\n\ndef audit_f():\n    return f, (torch.ones(2),)\n",
    })
    code, out, err = run("verify", ".", "--output-format", "json", cwd=tmp_path)
    found = [f for f in json.loads(out)["findings"] if f["code"] == "CA902"]
    if setting == "severity":
        assert [f["severity"] for f in found] == ["warning"], found
    else:
        assert found == [] and code == 0, (found, err)


SLOW_START = """
import os, time
if os.environ.get("COMPILE_AUDIT_ROOTS"):  # only in a compile-audit worker
    with open(os.path.join(os.path.dirname(__file__), "pids"), "a") as stream:
        stream.write(f"{os.getpid()}\\n")
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_worker_that_does_not_start_is_killed_and_replaced(tmp_path):
    """8: each target gets a "start" error in bounded time; no worker is left behind."""
    hook = write(tmp_path / "hook", {"sitecustomize.py": SLOW_START})
    project = write(tmp_path / "project", {
        "model.py": "def f(x):\n    return x * 2\n",
        "audit_model.py": "import torch\nfrom model import f\n\n\ndef audit_a():\n    return f, (torch.ones(2),)\n\n\n"
                          "def audit_b():\n    return f, (torch.ones(2),)\n",
    })
    path = [str(hook), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {"PYTHONPATH": os.pathsep.join(path), "COMPILE_AUDIT_STARTUP_TIMEOUT": "3"}
    started = time.monotonic()
    code, out, err = run("verify", ".", "--jobs", "1", "--output-format", "json", cwd=project, env=env, timeout=120)
    assert time.monotonic() - started < 60
    targets = by_target(json.loads(out))
    assert {t["error"]["kind"] for t in targets.values()} == {"start"}, targets
    assert "did not start within 3 s" in targets["audit_a"]["error"]["message"]
    pids = [int(p) for p in (hook / "pids").read_text().split()]
    assert len(pids) == 2  # one fresh worker per target
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in pids)


UNTRACED = """
import torch


class TryBlock(torch.nn.Module):
    def forward(self, x):
        try:
            print("start")
            w = x.sum().item()
            z = x.nonzero()
        except ValueError:
            w, z = 0.0, x
        return z, w


class Base(torch.nn.Module):
    def forward(self, x):
        return x * 2


class Child(Base):
    def forward(self, x):
        try:
            print("start")
            v = super().forward(x).sum().item()
        except ValueError:
            v = 0.0
        return x + v


compiled = torch.compile(TryBlock())
child = torch.compile(Child())
"""


def test_lines_that_ran_untraced_are_said_and_re_probed(tmp_path):
    """9: after a break in a try block Dynamo runs the rest of the frame eagerly: the lines
    there ran, so they are not `unreached`; re-probed alone they get Dynamo's verdict, and
    where the re-probe cannot run, the finding names the break that hid it."""
    write(tmp_path, {
        "model.py": UNTRACED,
        "audit_model.py": "import torch\nfrom model import Child, TryBlock\n\n\ndef audit_try():\n"
                          "    return TryBlock(), (torch.ones(3),)\n\n\ndef audit_child():\n    return Child(), (torch.ones(3),)\n",
    })
    code, out, err = run("scan", ".", "--confirm", "--output-format", "json", cwd=tmp_path)
    findings = {(f["code"], f["line"]): f for f in json.loads(out)["findings"]}
    lines = UNTRACED.lstrip().splitlines()
    item = lines.index("            w = x.sum().item()") + 1
    nonzero = lines.index("            z = x.nonzero()") + 1
    child = lines.index("            v = super().forward(x).sum().item()") + 1
    assert findings[("CA102", item)]["status"] == "confirmed"
    assert findings[("CA102", item)]["gb_code"] == "GB0124"
    assert findings[("CA110", nonzero)]["status"] == "confirmed"
    assert findings[("CA110", nonzero)]["gb_code"] == "GB0036"
    assert findings[("CA102", child)]["status"] == "untraced"
    code, text, _ = run("scan", ".", "--confirm", "--no-source", cwd=tmp_path)
    hidden_by = lines.index('            print("start")', child - 3) + 1
    assert f"stopped tracing this frame after the break at model.py:{hidden_by}" in text


def test_a_target_runs_on_the_device_the_way_a_user_moves_it(tmp_path):
    """5 (CPU part) and issue 28: the runner moves the module and its inputs to the requested
    device (``.to(device)``) and builds the target under it, but calls it without a device mode
    (which Dynamo would trace as part of the program): a forward that makes its tensors on the
    input's device runs there; one that makes CPU tensors cannot run there as written, and that
    is the target's failure (CA903), not a graph break. The "meta" device stands in for a GPU."""
    from compile_audit.dynamic import pool, reconcile
    from compile_audit.dynamic.targets import collect

    write(tmp_path, {"audit_device.py": """
        import torch

        class Offset(torch.nn.Module):
            def forward(self, x):
                return x + torch.ones(3)

        class Follows(torch.nn.Module):
            def forward(self, x):
                return x + torch.ones(3, device=x.device)

        def audit_offset():
            return Offset(), (torch.ones(3),)

        def audit_follows():
            return Follows(), (torch.ones(3),)
        """})
    refs = collect([tmp_path], tmp_path, tmp_path)
    results, _ = pool.run_targets(refs, roots=[str(tmp_path)], cwd=tmp_path, device="meta", timeout=120)
    outcome = {r.ref.function: r.outcome for r in results}
    assert outcome["audit_follows"].failure() is None and outcome["audit_follows"].strict.status == "compiled"
    failed = outcome["audit_offset"]
    assert failed.failure() == "eager", failed
    assert "cannot run there as written" in failed.eager_error.message
    extra = reconcile.reconcile([], results, tmp_path).extra
    assert [f.code for f in extra] == ["CA903"], [(f.code, f.message) for f in extra]


def test_a_confirmed_findings_code_is_the_code_of_the_break_it_shows(tmp_path):
    """4: a finding confirmed by a break shows that break's type with that break's own code,
    never the rule's code beside Dynamo's type (here a torch.cond whose branch prints)."""
    import re

    registry = json.loads((Path(torch._dynamo.__file__).parent / "graph_break_registry.json").read_text())
    write(tmp_path, {"model.py": MODEL + "\n\ncompiled = torch.compile(cond_constant)\n",
                     "audit_model.py": "import torch\nimport model\n\n\ndef audit_cond_constant():\n"
                                       "    return model.cond_constant, (torch.ones(3),)\n"})
    code, out, err = run("scan", "model.py", "--confirm", "--targets", "audit_model.py", "--select", "CA105",
                         "--output-format", "json", cwd=tmp_path)
    findings = [f for f in json.loads(out)["findings"] if f["status"] == "confirmed"]
    model_lines = MODEL.lstrip().splitlines()
    line = [n for n, text in enumerate(model_lines, 1) if text == '        print("then")'][1]  # cond_constant's
    confirmed = [f for f in findings if f["line"] == line]
    assert confirmed, findings
    code, text, _ = run("scan", "model.py", "--confirm", "--targets", "audit_model.py", "--select", "CA105",
                        "--no-source", cwd=tmp_path)
    block = text.split(f"model.py:{line}:", 1)[1].split("\nmodel.py:", 1)[0]
    shown = re.search(r"= dynamo: Dynamo broke here[^:]*: (.+?) \((GB\d{4})\)", block)
    assert shown, block
    gb_type, gb_code = shown.groups()
    assert gb_code == confirmed[0]["gb_code"]
    assert gb_type in {entry["Gb_type"] for entry in registry[gb_code]}
