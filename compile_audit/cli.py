"""The command line: arguments in, exit code out.

Exit codes (as ruff and ESLint): 0 no findings, 1 findings, 2 usage error, bad configuration,
unreadable input path or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from compile_audit import __version__

from compile_audit.core import config, discovery
from compile_audit.lint.registry import known_selector
from compile_audit.core.findings import plural

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _per_file_ignores(values: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        pattern, sep, codes = value.rpartition(":")
        if not sep or not pattern:
            raise UsageError(f"--per-file-ignores expects GLOB:CODES, got {value!r}")
        out.setdefault(pattern, []).extend(_codes(codes))
    return out


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", type=_codes, help="rule codes or prefixes to enable (replaces the default: all)")
    parser.add_argument("--ignore", type=_codes, default=None, help="rule codes or prefixes to disable")
    parser.add_argument("--extend-select", type=_codes, default=None, help="rule codes or prefixes to add")
    parser.add_argument("--per-file-ignores", action="append", default=[], metavar="GLOB:CODES",
                        help="ignore codes in files matching GLOB (repeatable)")
    parser.add_argument("--config", type=Path, help="a pyproject.toml (or TOML file) to read settings from")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-format", choices=config.OUTPUT_FORMATS, default=None,
                        help="report format (default: text, or `output-format` in the configuration)")
    parser.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--no-source", action="store_true", help="print findings without code frames")


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _jobs(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    return value


def _dynamic_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("dynamic layer (needs compile-audit[dynamic])")
    group.add_argument("--targets", action="append", type=Path, metavar="PATH",
                       help="where to collect audit_* targets (repeatable; default: the scanned paths)")
    group.add_argument("--backend", choices=config.BACKENDS, help="torch.compile backend (default: eager)")
    group.add_argument("--device", choices=config.DEVICES, help="device for the targets' modules and tensors")
    group.add_argument("--timeout", type=_positive_float, metavar="SECONDS", help="per-target time limit")
    group.add_argument("--jobs", type=_jobs, metavar="N", help="parallel workers (0: one per core)")
    group.add_argument("--no-synthesize", action="store_true",
                       help="with no audit targets, do not synthesize targets from module classes")
    group.add_argument("--shard", type=_shard, metavar="K/N",
                       help="run only the K-th of N shares of the audit targets (a CI matrix; "
                            "`compile-audit merge` joins the reports)")


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N such as 1/4, got {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"K/N needs 1 <= K <= N, got {text!r}")
    return index, count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compile-audit",
        description="Find what stops torch.compile from capturing a whole graph.",
    )
    parser.add_argument("--version", action="version", version=f"compile-audit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = commands.add_parser("scan", help="scan Python files for graph-break patterns")
    scan.add_argument("paths", nargs="*", type=Path, default=None, help="files or folders (default: .)")
    _selection_options(scan)
    scan.add_argument("--exclude", type=lambda v: [p for p in v.split(",") if p], default=None,
                      help="globs to exclude (replaces the configured list)")
    scan.add_argument("--extend-exclude", type=lambda v: [p for p in v.split(",") if p], default=None,
                      help="globs to exclude in addition to the configured list")
    scan.add_argument("--force-exclude", action="store_true",
                      help="apply excludes to paths given on the command line too (pre-commit)")
    scan.add_argument("--no-cache", action="store_true", help="do not read or write .compile_audit_cache/")
    scan.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                      help="skip files git ignores inside the scanned folders (default: on)")
    scan.add_argument("--stdin-filename", metavar="PATH",
                      help="with `-` as the path: the file name the source read from stdin stands for")
    scan.add_argument("--follow-symlinks", action="store_true",
                      help="follow symbolic links inside the scanned folders (off: no loops, nothing outside)")
    scan.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not recorded in FILE")
    scan.add_argument("--write-baseline", type=Path, metavar="FILE", help="record today's findings in FILE and exit 0")
    scan.add_argument("--expected", type=Path, metavar="FILE",
                      help="with --confirm: fail when a target compiles to more graphs, breaks or recompiles than "
                           "FILE records")
    scan.add_argument("--write-expected", type=Path, metavar="FILE",
                      help="with --confirm: record each target's graphs, breaks and recompiles in FILE and exit 0")
    scan.add_argument("--target-torch", type=_release, metavar="VERSION",
                      help="the torch release the verdicts are for, such as 2.14 (default: the installed torch, "
                           "else the project's pin, else the newest proven release)")
    scan.add_argument("--show-settings", action="store_true", help="print the resolved settings and exit")
    scan.add_argument("--fix", action="store_true", help="apply the safe fixes")
    scan.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply the unsafe fixes too")
    scan.add_argument("--diff", action="store_true", help="print the fixes as unified diffs; write nothing")
    scan.add_argument("--confirm", action="store_true",
                      help="run the audit targets under torch.compile and give each finding a verdict")
    scan.add_argument("--save-verdicts", nargs="?", const="", default=None, metavar="FILE", type=str,
                      help="with --confirm: keep the verdicts in FILE (default: the `verdicts` setting, else "
                           "compile-audit.verdicts.json), for later static-only runs")
    scan.add_argument("--verdicts", type=Path, metavar="FILE",
                      help="read stored verdicts from FILE (default: the configured or default file, if it exists)")
    scan.add_argument("--no-verdicts", action="store_true", help="read no stored verdicts")
    scan.add_argument("--show-verdicts", action="store_true",
                      help="say which stored verdicts were applied and which no longer match the code")
    _report_options(scan)
    _dynamic_options(scan)

    verify = commands.add_parser("verify", help="run audit targets only and report every break Dynamo hits")
    verify.add_argument("paths", nargs="*", type=Path, default=None, help="target files or folders (default: .)")
    _selection_options(verify)
    _report_options(verify)
    _dynamic_options(verify)

    record = commands.add_parser(
        "record", help="run a command (your tests, a script) and record audit targets from the calls it makes",
        description="Run COMMAND unchanged and record, for each function that holds a static finding (and the "
                    "forward of its module), the inputs of its first call (and of a second call with other "
                    "shapes). scan --confirm and verify then run them as audit targets.")
    record.add_argument("--paths", nargs="+", type=Path, default=None, metavar="PATH",
                        help="what to scan for the functions to record (default: .)")
    record.add_argument("--config", type=Path, help="a pyproject.toml (or TOML file) to read settings from")
    record.add_argument("program", nargs=argparse.REMAINDER, metavar="-- COMMAND", help="the command to run, after --")

    show = commands.add_parser("config", help="print the resolved settings")
    show.add_argument("--config", type=Path, help="a pyproject.toml (or TOML file) to read settings from")

    merge = commands.add_parser(
        "merge", help="join the JSON reports (or verdict files) of sharded runs (--shard K/N) into one",
        description="Join JSON reports of `scan --confirm --shard K/N` runs of the same code into the report "
                    "one run of every target gives: each finding with the strongest verdict any shard gave it, "
                    "every target, the breaks no rule predicted.")
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT",
                       help="JSON reports (--output-format json), or verdict files (--save-verdicts)")
    merge.add_argument("-o", "--output-file", type=Path, metavar="FILE", help="write the merged report to FILE")

    rule = commands.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", help="a rule code such as CA101, or its name")
    commands.add_parser("rules", help="list every rule")
    commands.add_parser("server", help="run the language server over stdio (editors; needs the lsp extra)")
    return parser


def _release(value: str) -> str:
    from compile_audit.core.torch_release import check_version

    try:
        return check_version(value, "--target-torch")
    except config.ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _settings(args: argparse.Namespace, cwd: Path) -> config.Settings:
    settings = config.load(args.config, cwd)
    where = (f"{discovery.display_path(settings.config_file, cwd)}: [tool.compile-audit]"
             if settings.config_file is not None else "the configuration")
    for key, selectors in (("select", settings.select or []), ("ignore", settings.ignore),
                           ("extend-select", settings.extend_select)):
        for selector in selectors:
            if not known_selector(selector):
                raise config.ConfigError(f"{where} {key}: unknown rule selector {selector!r} "
                                         "(see `compile-audit rules`)")
    for option, selectors in (("--select", args.select), ("--ignore", args.ignore),
                              ("--extend-select", args.extend_select)):
        for selector in selectors or []:
            if not known_selector(selector):
                raise UsageError(f"{option}: unknown rule selector {selector!r} (see `compile-audit rules`)")
    if args.select is not None:
        settings.select = args.select
    if args.ignore is not None:
        settings.ignore = [*settings.ignore, *args.ignore]
    if args.extend_select is not None:
        settings.extend_select = [*settings.extend_select, *args.extend_select]
    if getattr(args, "exclude", None) is not None:
        settings.exclude = args.exclude
    if getattr(args, "extend_exclude", None) is not None:
        settings.extend_exclude = [*settings.extend_exclude, *args.extend_exclude]
    if getattr(args, "target_torch", None) is not None:
        settings.target_torch, settings.target_torch_from_cli = args.target_torch, True
    if getattr(args, "no_synthesize", False):
        settings.synthesize = False
    for option in ("backend", "device", "timeout", "jobs"):
        if getattr(args, option, None) is not None:
            setattr(settings, option, getattr(args, option))
    # flags a CI job may set in the configuration instead; the command line wins (or adds)
    if getattr(args, "respect_gitignore", None) is not None:
        settings.respect_gitignore = args.respect_gitignore
    if args.output_format is None:
        args.output_format = settings.output_format
    args.statistics = args.statistics or settings.statistics
    args.no_source = args.no_source or not settings.show_source
    for flag in ("confirm", "fix", "unsafe_fixes", "force_exclude"):
        if hasattr(args, flag):
            setattr(args, flag, getattr(args, flag) or getattr(settings, flag))
    if hasattr(args, "no_cache"):
        args.no_cache = args.no_cache or not settings.cache
    if getattr(args, "baseline", None) is None and settings.baseline:
        args.baseline = settings.path(settings.baseline)
    if hasattr(args, "expected") and args.expected is None and settings.expected and getattr(args, "confirm", False):
        args.expected = settings.path(settings.expected)
    for pattern, codes in _per_file_ignores(args.per_file_ignores).items():
        settings.per_file_ignores.setdefault(pattern, []).extend(codes)
    return settings


def _emit(args: argparse.Namespace, result, stdout: TextIO) -> int:
    from compile_audit.report import render

    for error in result.errors:
        if error.missing:  # as ruff: said, the other paths scanned, exit 2 at the end
            print(f"compile-audit: error: {error.path}: {error.message}", file=sys.stderr)

    options = {"statistics": args.statistics, "show_source": not args.no_source,
               "unsafe_fixes": getattr(args, "unsafe_fixes", False)}
    if args.output_file is not None:
        try:
            with open(args.output_file, "w", encoding="utf-8") as stream:
                render(args.output_format, result, stream, **options)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output_file}: {exc.strerror or exc}") from None
    else:
        render(args.output_format, result, stdout, **options)
    if result.errors:
        return EXIT_ERROR
    if failing(result.findings) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def failing(findings) -> list:
    """The findings that fail the gate: every one but those Dynamo refuted (it ran the line
    under torch.compile and did not break there)."""
    return [f for f in findings if f.status != "refuted"]


def _request(args: argparse.Namespace, settings: config.Settings, cwd: Path, paths: list[Path], **kw):
    from compile_audit.pipeline import Request

    return Request(paths=paths, settings=settings, cwd=cwd, target_paths=args.targets, **kw)


def _scan(args: argparse.Namespace, stdout: TextIO) -> int:
    from compile_audit import pipeline

    cwd = Path.cwd()
    settings = _settings(args, cwd)
    if args.show_settings:
        return _print_settings(settings, stdout)
    paths = args.paths or [Path(".")]
    baseline_file = args.baseline if args.write_baseline is None else None
    if any(str(p) == "-" for p in paths):
        if len(paths) != 1:
            raise UsageError("`-` (read the source from stdin) cannot be combined with other paths")
        return _scan_stdin(args, settings, cwd, baseline_file, stdout)
    if args.stdin_filename is not None:
        raise UsageError("--stdin-filename needs `-` as the path to scan")
    if (args.fix or args.diff) and args.confirm:
        raise UsageError("--fix/--diff and --confirm do not go together: fix first, then confirm")
    if args.save_verdicts is not None and not args.confirm:
        raise UsageError("--save-verdicts keeps what --confirm finds: add --confirm")
    if args.shard is not None and not args.confirm:
        raise UsageError("--shard splits the audit targets: add --confirm")
    for flag in ("expected", "write_expected"):
        if getattr(args, flag) is not None and not args.confirm:
            raise UsageError(f"--{flag.replace('_', '-')} is about what the audit targets compile to: add --confirm")
    expected = _load_expected(args.expected) if args.expected is not None and args.write_expected is None else None
    request = _request(args, settings, cwd, paths, fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff,
                       confirm=args.confirm, baseline=baseline_file, force_exclude=args.force_exclude,
                       use_cache=not args.no_cache, follow_symlinks=args.follow_symlinks,
                       verdicts=args.verdicts, use_verdicts=not args.no_verdicts, shard=args.shard)
    if args.save_verdicts is not None:
        request.save_verdicts = Path(args.save_verdicts) if args.save_verdicts else pipeline.verdict_file(request)
    run = pipeline.run(request)
    _note_verdicts(args, run)
    if args.fix or args.diff:
        return _report_fixes(args, run, stdout)
    if args.write_baseline is not None:
        from compile_audit.core import baseline

        try:
            baseline.write(args.write_baseline, run.result.findings, run.result.sources)
        except OSError as exc:
            raise UsageError(f"cannot write {args.write_baseline}: {exc.strerror or exc}") from None
        print(f"compile-audit: recorded {plural(len(run.result.findings), 'finding')} in {args.write_baseline}",
              file=sys.stderr)
        return EXIT_CLEAN
    if args.write_expected is not None:
        from compile_audit.core import expected as expected_module

        try:
            count = expected_module.write(args.write_expected, run.result.targets, run.result.torch_version)
        except OSError as exc:
            raise UsageError(f"cannot write {args.write_expected}: {exc.strerror or exc}") from None
        print(f"compile-audit: recorded the graphs, breaks and recompiles of {plural(count, 'target')} in "
              f"{args.write_expected}", file=sys.stderr)
        return EXIT_CLEAN
    _note_baselined(args, run)
    gate = _compare_expected(args, expected, run.result) if expected is not None else None
    code = _emit(args, run.result, stdout)
    if gate is not None and gate.failed:  # the gate is its own check: --exit-zero is about findings
        return max(code, EXIT_FINDINGS)
    return code


def _load_expected(path: Path) -> dict:
    from compile_audit.core import expected

    try:
        return expected.load(path)
    except expected.ExpectedError as exc:
        raise UsageError(str(exc)) from None


def _compare_expected(args, expected: dict, result):
    """Compare the run with the expected-metrics file; say what changed (stderr) and keep the
    comparison on the result (the JSON report's ``expected``)."""
    from compile_audit.core.expected import compare

    gate = compare(expected, result.targets)
    result.expected = {"file": str(args.expected), **gate.to_dict()}
    for change in gate.failed:
        print(f"compile-audit: FAIL {change.target}: {change.describe()} (expected in {args.expected})",
              file=sys.stderr)
    for change in gate.improved:
        print(f"compile-audit: IMPROVED {change.target}: {change.describe()}", file=sys.stderr)
    if gate.improved and not gate.failed:
        print(f"compile-audit: refresh {args.expected} with `compile-audit scan ... --confirm --write-expected "
              f"{args.expected}` and commit it", file=sys.stderr)
    for name in gate.new:
        print(f"compile-audit: {name} is not in {args.expected}: add it with --write-expected", file=sys.stderr)
    for name in gate.missing:
        print(f"compile-audit: {name} is in {args.expected} but did not run", file=sys.stderr)
    if not (gate.failed or gate.improved):
        print(f"compile-audit: PASS: every target compiles to the graphs, breaks and recompiles {args.expected} "
              "records, or fewer", file=sys.stderr)
    return gate


def _note_verdicts(args, run) -> None:
    if run.saved_verdicts is not None:
        print(f"compile-audit: kept {plural(run.saved_verdicts, 'verdict')} in {run.saved_verdicts_file}",
              file=sys.stderr)
    applied = run.verdicts
    if applied is not None and (args.show_verdicts or applied.stale):
        print(f"compile-audit: {plural(applied.applied, 'stored verdict')} applied from {run.verdicts_file}; "
              f"{plural(len(applied.stale), 'stored verdict')} no longer match the code (run --confirm again)",
              file=sys.stderr)
        if args.show_verdicts:
            for entry in applied.stale:
                print(f"  stale: {entry['path']}: {entry['code']} ({entry['status']})", file=sys.stderr)


def _note_baselined(args, run) -> None:
    if run.baselined:
        print(f"compile-audit: {plural(run.baselined, 'finding')} in the baseline {args.baseline} not shown",
              file=sys.stderr)


def _report_fixes(args, run, stdout: TextIO) -> int:
    report = run.fixes
    for problem in report.problems:
        print(f"compile-audit: {problem}", file=sys.stderr)
    if args.diff:
        for diff in report.diffs:
            stdout.write(diff)
        hidden = sum(1 for f in run.result.findings if f.fix is not None and not f.fix.safe and not args.unsafe_fixes)
        note = (f" ({hidden} additional {'fix' if hidden == 1 else 'fixes'} available with `--unsafe-fixes`)"
                if hidden else "")  # ruff's words
        print(f"Would fix {plural(report.fixed, 'finding')} in {plural(len(report.diffs), 'file')}{note}.", file=sys.stderr)
        return EXIT_FINDINGS if report.diffs else EXIT_CLEAN
    _note_baselined(args, run)
    code = _emit(args, run.result, stdout)
    print(f"Fixed {plural(report.fixed, 'finding')} in {plural(len(report.files_changed), 'file')}.", file=sys.stderr)
    return EXIT_ERROR if report.problems and code == EXIT_CLEAN else code


def _scan_stdin(args, settings: config.Settings, cwd: Path, baseline_file, stdout: TextIO) -> int:
    """``scan -``: lint the source read from stdin as if it were ``--stdin-filename``. With
    ``--fix`` the fixed source is written to stdout (the findings left go to stderr), as ruff
    does; ``--diff`` prints the diff."""
    from compile_audit import pipeline

    if args.confirm:
        raise UsageError("--confirm runs the project's targets: it cannot take the source from stdin")
    source = pipeline.run_source(sys.stdin.buffer.read(), args.stdin_filename, settings, cwd,
                                 fix=args.fix, diff=args.diff, unsafe_fixes=args.unsafe_fixes,
                                 force_exclude=args.force_exclude, baseline=baseline_file)
    if args.diff:
        stdout.write(source.diff or "")
        return EXIT_FINDINGS if source.diff else EXIT_CLEAN
    if args.fix:
        stdout.write(source.text)
    _note_baselined(args, source.run)
    return _emit(args, source.run.result, sys.stderr if args.fix else stdout)


def _print_settings(settings: config.Settings, stdout: TextIO) -> int:
    import json

    values = settings.as_dict()
    values["jobs"] = settings.workers
    # what every scan skips besides `exclude` (ruff's defaults, shown as ruff's `--show-settings` does)
    values["skipped-by-default"] = discovery.skipped_by_default()
    stdout.write(json.dumps(values, indent=2, default=str) + "\n")
    return EXIT_CLEAN


def _config(args: argparse.Namespace, stdout: TextIO) -> int:
    return _print_settings(config.load(args.config, Path.cwd()), stdout)


def _verify(args: argparse.Namespace, stdout: TextIO) -> int:
    from compile_audit import pipeline

    cwd = Path.cwd()
    settings = _settings(args, cwd)
    paths = args.paths or [Path(".")]
    args.targets = args.targets or paths
    run = pipeline.run(_request(args, settings, cwd, paths, rules=False, confirm=True, shard=args.shard))
    return _emit(args, run.result, stdout)


def _record(args: argparse.Namespace, stdout: TextIO) -> int:
    """``record -- COMMAND``: the command's own exit code, after saying what was recorded."""
    from compile_audit import pipeline
    from compile_audit.dynamic import recorded

    command = list(args.program)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise UsageError("record needs a command to run: compile-audit record -- python -m pytest tests/")
    cwd = Path.cwd()
    settings = config.load(args.config, cwd)
    paths = args.paths or [Path(".")]
    run = pipeline.run(pipeline.Request(paths=paths, settings=settings, cwd=cwd, use_verdicts=False))
    try:
        code, entries = recorded.record(command, run.result.findings, settings.root, cwd, run.result.project_index())
    except OSError as exc:
        raise UsageError(str(exc)) from None
    for line in recorded.summary(entries, cwd):
        print(line, file=sys.stderr)
    return code


def _server(args: argparse.Namespace, stdout: TextIO) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError("the language server needs pygls: pip install 'compile-audit[lsp]'") from None
    from compile_audit.server import main as serve

    return serve()


def _rule(args: argparse.Namespace, stdout: TextIO) -> int:
    from compile_audit.report.rule_page import rule_page
    from compile_audit.lint.registry import rule_by_code

    rule = rule_by_code(args.code)
    if rule is None:
        raise UsageError(f"unknown rule {args.code!r} (see `compile-audit rules`)")
    page = rule_page(rule)
    if hasattr(stdout, "isatty") and stdout.isatty():
        # a terminal gets the page rendered; a pipe or a file gets the Markdown itself
        from rich.console import Console
        from rich.markdown import Markdown

        Console(file=stdout).print(Markdown(page))
    else:
        stdout.write(page)
    return EXIT_CLEAN


def _rules(args: argparse.Namespace, stdout: TextIO) -> int:
    from compile_audit.lint.registry import all_rules

    for rule in all_rules():
        stdout.write(f"{rule.code}  {rule.name:<28} {rule.severity:<8} {rule.what.split('. ')[0].rstrip('.')}\n")
    return EXIT_CLEAN


def _merge(args: argparse.Namespace, stdout: TextIO) -> int:
    import json

    from compile_audit.report.merge import MergeError, merge

    try:
        document = merge(args.reports)
    except MergeError as exc:
        raise UsageError(str(exc)) from None
    text = json.dumps(document, indent=2) + "\n"
    if args.output_file is not None:
        try:
            args.output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output_file}: {exc.strerror or exc}") from None
    else:
        stdout.write(text)
    if "verdicts" in document:
        return EXIT_CLEAN
    failing_now = [f for f in document["findings"] if f["status"] != "refuted"]
    return EXIT_FINDINGS if failing_now or document["errors"] else EXIT_CLEAN


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    from compile_audit.dynamic import DynamicUnavailable
    from compile_audit.pipeline import PipelineError

    handlers = {"scan": _scan, "verify": _verify, "record": _record, "server": _server, "config": _config, "rule": _rule,
                "rules": _rules, "merge": _merge}
    try:
        return handlers[args.command](args, sys.stdout)
    except (UsageError, config.ConfigError, discovery.PathError, DynamicUnavailable, PipelineError) as exc:
        print(f"compile-audit: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - an internal error is exit 2 with one line
        if os.environ.get("COMPILE_AUDIT_DEBUG"):
            raise
        print(f"compile-audit: internal error: {type(exc).__name__}: {exc} "
              "(set COMPILE_AUDIT_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
