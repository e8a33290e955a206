"""Recall and precision of compile-audit's static scan against what Dynamo really does.

Usage (from the repository root):

    .venv/bin/python bench/recall/measure.py            # print the figures
    .venv/bin/python bench/recall/measure.py --write    # also write bench/recall/results.json

Truth is dynamic, never hand-written: every ``case_*()`` function in ``bench/recall/cases/*.py``
returns ``(fn, args)`` (``args`` may also be a zero-argument callable returning a fresh tuple,
for one-shot inputs such as iterators). For each case, after ``torch._dynamo.reset()``:

1. ``fn(*args)`` runs eagerly; if that fails the case is recorded as ``error`` and skipped;
2. ``torch._dynamo.explain(fn)(*args)`` (default mode, ``fullgraph=False``) while the
   ``graph_breaks`` logging artifact is captured: every graph break Dynamo reports, with the
   innermost user frame inside ``cases/``, its GB code and the first line of its reason
   (explain() alone misses breaks that make Dynamo skip a whole frame, such as nn.LSTM, so both
   sources are merged);
3. ``torch.compile(fn, fullgraph=True, backend="eager")(*args)``: whether it raises, where
   (innermost ``cases/`` frame) and with which GB code.

Each case file runs in its own child process (forked from a parent that imported torch and
warmed Dynamo up once, so the import is paid once; one child at a time, 120 s per file).

The static side is ``python -m compile_audit scan bench/recall/cases --no-cache
--output-format json``. A *break site* is a (file, line) where Dynamo broke in default mode or
where fullgraph=True raised. Recall = break sites with a static finding on the same file and
line / break sites. Precision = findings on a break site / findings.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
ROOT = HERE.parent.parent
RESULTS = HERE / "results.json"
FILE_TIMEOUT_S = 120.0

GB_RE = re.compile(r"\bgb(\d{4})\b", re.IGNORECASE)
FRAME_RE = re.compile(r'File "([^"]+)", line (\d+)')


# --------------------------------------------------------------------------- helpers


def _category(filename: str) -> str:
    return filename.split("_", 1)[0]


def _gb(text: str | None) -> str | None:
    if not text:
        return None
    m = GB_RE.search(text)
    return f"GB{m.group(1)}" if m else None


def _in_cases(filename: str) -> bool:
    try:
        return Path(filename).resolve().parent == CASES
    except OSError:
        return False


def _innermost(frames) -> tuple[str | None, int | None]:
    """Innermost (file basename, line) inside cases/ of (filename, lineno) pairs, outer first."""
    for filename, lineno in reversed(list(frames)):
        if filename and _in_cases(filename):
            return Path(filename).name, int(lineno)
    return None, None


def _case_stack(frames) -> list[str]:
    """The frames inside cases/ as "file:line", outer first."""
    return [f"{Path(f).name}:{int(n)}" for f, n in frames if f and _in_cases(f)]


def _reason_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    first = lines[0]
    if first.startswith("Graph Break Reason:"):
        first = first[len("Graph Break Reason:"):].strip()
        if not first:
            lines = lines[1:] or [""]
            first = lines[0]
    rest = lines[1:]
    while rest and first.startswith(_PREAMBLES):
        first, rest = rest[0], rest[1:]
    return first[:200]


_PREAMBLES = ("Encountered graph break when attempting", "Failed to handle graph break gracefully",
              "Graph break encountered", "Encountered graph break that we cannot resume from")


# --------------------------------------------------------------------------- static side


def _torch_version() -> str:
    from importlib import metadata

    return metadata.version("torch").split("+")[0]


def run_static() -> tuple[list[dict], dict]:
    cmd = [
        sys.executable, "-m", "compile_audit", "scan", str(CASES.relative_to(ROOT)),
        "--no-cache", "--output-format", "json",
        # the repository's own configuration excludes the corpus from its scans (it is test
        # data); here it is what is scanned, for the torch release the truth is measured on
        "--exclude", "", "--target-torch", _torch_version(),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"static scan failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    findings = []
    for f in report.get("findings", []):
        path = Path(f["path"])
        if not _in_cases(str(ROOT / path)):
            continue
        findings.append({
            "file": path.name, "line": f["line"], "code": f["code"],
            "gb_code": f.get("gb_code"), "message": f.get("message", "")[:200],
        })
    findings.sort(key=lambda f: (f["file"], f["line"], f["code"]))
    meta = {"tool": report.get("tool"), "torch": report.get("torch")}
    return findings, meta


# --------------------------------------------------------------------------- dynamic side (child)


class _BreakLogCapture:
    """Collects the messages of Dynamo's `graph_breaks` artifact loggers."""

    def __init__(self):
        import logging

        self.messages: list[str] = []
        outer = self

        class Handler(logging.Handler):
            def emit(self, record):
                try:
                    outer.messages.append(record.getMessage())
                except Exception:  # noqa: BLE001
                    pass

        self.handler = Handler(level=logging.DEBUG)
        for name, lg in list(logging.Logger.manager.loggerDict.items()):
            if name.endswith("__graph_breaks") and isinstance(lg, logging.Logger):
                lg.addHandler(self.handler)

    @staticmethod
    def parse(msg: str) -> dict | None:
        if "Graph break" not in msg and "graph break" not in msg:
            return None
        reason_part = msg
        frames_part = ""
        if "User code traceback:" in msg:
            reason_part, frames_part = msg.split("User code traceback:", 1)
        frames = [(f, int(n)) for f, n in FRAME_RE.findall(frames_part)]
        if not frames:
            m = re.search(r"in user code at (.+?):(\d+)\s*$", msg.splitlines()[0])
            if m:
                frames = [(m.group(1), int(m.group(2)))]
        file, line = _innermost(frames)
        body = reason_part
        if "Graph Break Reason:" in body:
            body = body.split("Graph Break Reason:", 1)[1]
        return {"file": file, "line": line, "gb": _gb(msg), "reason": _reason_line(body),
                "source": "log", "stack": _case_stack(frames)}


def _run_case(torch, name, factory, capture) -> dict:
    rec: dict = {"case": name, "status": "ok", "breaks": [], "fullgraph": None}
    try:
        fn, args = factory()
    except Exception as e:  # noqa: BLE001
        return {**rec, "status": "error", "error": f"case setup: {type(e).__name__}: {e}"[:300]}
    make_args = args if callable(args) else (lambda: args)
    try:
        fn(*make_args())
    except Exception as e:  # noqa: BLE001
        return {**rec, "status": "error", "error": f"eager: {type(e).__name__}: {e}"[:300]}

    # default mode: explain() plus the graph_breaks log
    torch._dynamo.reset()
    capture.messages.clear()
    explained = []
    try:
        ex = torch._dynamo.explain(fn)(*make_args())
        rec["graph_count"] = ex.graph_count
        for br in ex.break_reasons:
            frames = [(fs.filename, fs.lineno) for fs in br.user_stack]
            file, line = _innermost(frames)
            explained.append({"file": file, "line": line, "gb": _gb(br.reason),
                              "reason": _reason_line(br.reason), "source": "explain",
                              "stack": _case_stack(frames)})
    except Exception as e:  # noqa: BLE001
        # compiling failed outright where eager works (not a graph break, but a site all the same)
        rec["default_error"] = _locate_exception(e)
    logged = [r for r in (capture.parse(m) for m in capture.messages) if r]
    merged: dict = {}
    for r in logged + explained:
        key = (r["file"], r["line"])
        prev = merged.get(key)
        if prev is None:
            merged[key] = dict(r)
        else:
            if not prev["gb"] and r["gb"]:
                prev["gb"], prev["reason"] = r["gb"], r["reason"]
            if r["source"] not in prev["source"]:
                prev["source"] += "+" + r["source"]
            if len(r["stack"]) > len(prev["stack"]):
                prev["stack"] = r["stack"]
    # A report without a GB code on a line that is an outer frame of another break of the same
    # run (explain()'s "step_unsupported" at the call of a property or helper that broke
    # inside) is the same break seen from its caller: kept in the record, not a break site.
    for r in merged.values():
        here = f"{r['file']}:{r['line']}"
        if r["gb"] is None and r["file"] is not None:
            for o in merged.values():
                if o is not r and here in o["stack"][:-1]:
                    r["outer_of"] = f"{o['file']}:{o['line']}"
                    break
    rec["breaks"] = sorted(merged.values(), key=lambda r: (r["file"] or "", r["line"] or 0))

    # fullgraph=True
    torch._dynamo.reset()
    try:
        torch.compile(fn, fullgraph=True, backend="eager")(*make_args())
        rec["fullgraph"] = {"raised": False}
    except Exception as e:  # noqa: BLE001
        rec["fullgraph"] = _locate_exception(e)
    torch._dynamo.reset()
    return rec


def _locate_exception(e: BaseException) -> dict:
    """Type, innermost cases/ frame, GB code and first reason line of a compile error."""
    import traceback

    text = str(e)
    frames = []
    real = getattr(e, "real_stack", None)
    if real:
        frames = [(fs.filename, fs.lineno) for fs in real]
    if not frames and "from user code:" in text:
        frames = [(f, int(n)) for f, n in FRAME_RE.findall(text.split("from user code:", 1)[1])]
    file, line = _innermost(frames)
    if file is None:
        file, line = _innermost((fs.filename, fs.lineno)
                                for fs in traceback.extract_tb(e.__traceback__))
    return {"raised": True, "type": type(e).__name__, "file": file, "line": line,
            "gb": _gb(text), "reason": _reason_line(text)}


def _child_main(path_str: str, conn) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    import torch

    capture = _BreakLogCapture()
    sys.path.insert(0, str(CASES))
    path = Path(path_str)
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = mod
        spec.loader.exec_module(mod)
    except Exception as e:  # noqa: BLE001
        conn.send({"file_error": f"import: {type(e).__name__}: {e}"[:300]})
        conn.send(None)
        return
    for name, obj in list(vars(mod).items()):
        if name.startswith("case_") and callable(obj):
            rec = _run_case(torch, name, obj, capture)
            rec["file"] = path.name
            conn.send(json.loads(json.dumps(rec, default=str)))
    conn.send(None)


# --------------------------------------------------------------------------- dynamic side (parent)


def run_dynamic(files: list[Path]) -> list[dict]:
    import multiprocessing as mp

    import torch

    torch.set_num_threads(1)
    import torch._dynamo.convert_frame  # noqa: F401  (creates the graph_breaks loggers)
    import torch._dynamo.symbolic_convert  # noqa: F401
    import torch._logging

    torch._logging.set_logs(graph_breaks=True)
    import logging

    for name, lg in list(logging.Logger.manager.loggerDict.items()):
        if name.endswith("__graph_breaks") and isinstance(lg, logging.Logger):
            for h in list(lg.handlers):  # keep the parent quiet; children add their own
                lg.removeHandler(h)
            lg.addHandler(logging.NullHandler())
    # warm Dynamo up once so that every forked child starts warm
    torch._dynamo.explain(lambda t: (t + 1).sum())(torch.ones(2))
    torch.compile(lambda t: t * 2, fullgraph=True, backend="eager")(torch.ones(2))
    torch._dynamo.reset()

    ctx = mp.get_context("fork")
    records: list[dict] = []
    for path in files:
        t0 = time.monotonic()
        recv_end, send_end = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child_main, args=(str(path), send_end), daemon=True)
        proc.start()
        send_end.close()
        got: list[dict] = []
        status = None
        while True:
            left = FILE_TIMEOUT_S - (time.monotonic() - t0)
            if left <= 0 or not recv_end.poll(left):
                status = f"timeout after {FILE_TIMEOUT_S:.0f} s"
                break
            try:
                msg = recv_end.recv()
            except EOFError:
                status = f"child died (exit code {proc.exitcode})"
                break
            if msg is None:
                break
            if "file_error" in msg:
                status = msg["file_error"]
                continue
            got.append(msg)
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        recv_end.close()
        if status:
            got.append({"file": path.name, "case": None, "status": "error", "error": status,
                        "breaks": [], "fullgraph": None})
        records.extend(got)
        print(f"  {path.name:40s} {len(got)} case(s)  {time.monotonic() - t0:5.1f} s",
              file=sys.stderr)
    return records


# --------------------------------------------------------------------------- comparison


def _is_clean(rec: dict) -> bool:
    return not (rec["breaks"] or (rec.get("fullgraph") or {}).get("raised")
                or (rec.get("default_error") or {}).get("raised"))


def compare(records: list[dict], findings: list[dict]) -> dict:
    sites: dict[tuple[str, int], dict] = {}
    unlocated = []
    for rec in records:
        if rec.get("status") != "ok":
            continue
        events = [dict(b, mode="default") for b in rec["breaks"] if not b.get("outer_of")]
        for mode, ev in (("default-error", rec.get("default_error")),
                         ("fullgraph", rec.get("fullgraph"))):
            if ev and ev.get("raised"):
                events.append({"file": ev.get("file"), "line": ev.get("line"), "gb": ev.get("gb"),
                               "reason": ev.get("reason"), "mode": mode})
        for ev in events:
            if ev["file"] is None:
                unlocated.append({"case": f"{rec['file']}::{rec['case']}", **ev})
                continue
            key = (ev["file"], ev["line"])
            site = sites.setdefault(key, {"file": key[0], "line": key[1], "gb": set(),
                                          "reasons": [], "modes": set(), "cases": set()})
            if ev.get("gb"):
                site["gb"].add(ev["gb"])
            if ev.get("reason") and ev["reason"] not in site["reasons"]:
                site["reasons"].append(ev["reason"])
            site["modes"].add(ev["mode"])
            site["cases"].add(rec["case"])

    by_line = defaultdict(list)
    for f in findings:
        by_line[(f["file"], f["line"])].append(f["code"])

    cats = sorted({_category(p.name) for p in CASES.glob("*.py")})
    per = {c: {"files": 0, "cases": 0, "clean_cases": 0, "error_cases": 0, "sites": 0,
               "sites_hit": 0, "findings": 0, "findings_true": 0,
               "findings_ca1_2": 0, "findings_ca1_2_true": 0} for c in cats}
    for p in CASES.glob("*.py"):
        per[_category(p.name)]["files"] += 1
    for rec in records:
        c = per[_category(rec["file"])]
        if rec.get("case"):
            c["cases"] += 1
        if rec.get("status") != "ok":
            c["error_cases"] += 1
        elif _is_clean(rec):
            c["clean_cases"] += 1

    missed, hit_sites = [], []
    for key, site in sorted(sites.items()):
        c = per[_category(key[0])]
        c["sites"] += 1
        row = {"file": site["file"], "line": site["line"], "gb": sorted(site["gb"]),
               "reason": "; ".join(site["reasons"])[:300], "modes": sorted(site["modes"]),
               "cases": sorted(site["cases"]), "static": by_line.get(key, [])}
        if key in by_line:
            c["sites_hit"] += 1
            hit_sites.append(row)
        else:
            missed.append(row)
    false_findings = []
    for f in findings:
        c = per[_category(f["file"])]
        c["findings"] += 1
        is_break_rule = not f["code"].startswith("CA3")
        c["findings_ca1_2"] += is_break_rule
        if (f["file"], f["line"]) in sites:
            c["findings_true"] += 1
            c["findings_ca1_2_true"] += is_break_rule
        else:
            false_findings.append(f)

    def ratio(a, b):
        return round(a / b, 4) if b else None

    total = {k: sum(c[k] for c in per.values()) for k in next(iter(per.values()))}
    for c in list(per.values()) + [total]:
        c["recall"] = ratio(c["sites_hit"], c["sites"])
        c["precision"] = ratio(c["findings_true"], c["findings"])
        # CA3xx flag recompilation hazards, not graph breaks: precision without them
        c["precision_ca1_2"] = ratio(c["findings_ca1_2_true"], c["findings_ca1_2"])
    clean_cases = sorted(f"{r['file']}::{r['case']}" for r in records
                         if r.get("status") == "ok" and _is_clean(r))
    errors = [{"case": f"{r['file']}::{r.get('case')}", "error": r.get("error")}
              for r in records if r.get("status") != "ok"]
    return {"overall": total, "per_category": per, "hit_sites": hit_sites, "missed": missed,
            "false_findings": false_findings, "unlocated_breaks": unlocated,
            "clean_cases": clean_cases, "errors": errors}


def _fmt(x):
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def print_report(cmp: dict) -> None:
    print()
    print(f"{'category':10s} {'files':>5s} {'cases':>5s} {'clean':>5s} {'err':>4s} "
          f"{'sites':>5s} {'hit':>4s} {'recall':>7s} {'finds':>5s} {'true':>4s} {'precision':>9s} "
          f"{'prec. w/o CA3xx':>15s}")
    rows = list(cmp["per_category"].items()) + [("overall", cmp["overall"])]
    for name, c in rows:
        print(f"{name:10s} {c['files']:5d} {c['cases']:5d} {c['clean_cases']:5d} "
              f"{c['error_cases']:4d} {c['sites']:5d} {c['sites_hit']:4d} {_fmt(c['recall']):>7s} "
              f"{c['findings']:5d} {c['findings_true']:4d} {_fmt(c['precision']):>9s} "
              f"{_fmt(c['precision_ca1_2']):>15s}")
    print("\nMissed break sites (no static finding on the line):")
    for m in cmp["missed"]:
        gb = ",".join(m["gb"]) or "-"
        print(f"  {m['file']}:{m['line']}  [{gb}] ({'/'.join(m['modes'])}) {m['reason'][:150]}")
    print("\nFalse findings (no break on the line):")
    for f in cmp["false_findings"]:
        print(f"  {f['file']}:{f['line']}  {f['code']}  {f['message'][:110]}")
    if cmp["unlocated_breaks"]:
        print("\nBreaks with no frame inside cases/ (not counted):")
        for u in cmp["unlocated_breaks"]:
            print(f"  {u['case']}  [{u.get('gb') or '-'}] {u.get('reason')}")
    print("\nCases Dynamo compiled whole (no break, fullgraph=True passed):")
    for c in cmp["clean_cases"]:
        print(f"  {c}")
    if cmp["errors"]:
        print("\nCases that could not run:")
        for e in cmp["errors"]:
            print(f"  {e['case']}: {e['error']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    ap.add_argument("--rescore", action="store_true",
                    help=f"reuse the Dynamo truth recorded in {RESULTS.relative_to(ROOT)} (static scan only, "
                         "seconds; for iterating on rules: the figures to report come from a full run)")
    ap.add_argument("files", nargs="*", help="only these case files (names or paths)")
    opts = ap.parse_args(argv)

    t0 = time.monotonic()
    findings, meta = run_static()
    t_static = time.monotonic() - t0
    print(f"static scan: {len(findings)} findings in {t_static:.1f} s", file=sys.stderr)

    files = sorted(p for p in CASES.glob("*.py") if "def case_" in p.read_text())
    if opts.files:
        wanted = {Path(f).name for f in opts.files}
        files = [p for p in files if p.name in wanted]
        findings = [f for f in findings if f["file"] in wanted]
    t1 = time.monotonic()
    if opts.rescore:
        names = {p.name for p in files}
        records = [r for r in json.loads(RESULTS.read_text())["cases"] if r.get("file") in names]
        if opts.write:
            raise SystemExit("--rescore does not write: the truth it reuses would not be re-measured")
    else:
        records = run_dynamic(files)
    t_dyn = time.monotonic() - t1
    print(f"dynamic truth: {len(records)} cases from {len(files)} files in {t_dyn:.1f} s",
          file=sys.stderr)

    cmp = compare(records, findings)
    print_report(cmp)
    if opts.write:
        import torch

        out = {
            "schema": 1,
            "torch": torch.__version__,
            "static_tool": meta,
            "static_command": "python -m compile_audit scan bench/recall/cases --no-cache "
                              "--output-format json",
            "summary": {"overall": cmp["overall"], "per_category": cmp["per_category"]},
            "missed": cmp["missed"],
            "false_findings": cmp["false_findings"],
            "hit_sites": cmp["hit_sites"],
            "unlocated_breaks": cmp["unlocated_breaks"],
            "clean_cases": cmp["clean_cases"],
            "errors": cmp["errors"],
            "cases": records,
            "static_findings": findings,
        }
        RESULTS.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
        print(f"\nwrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    print(f"total {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
