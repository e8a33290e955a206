"""Issue 30: ``--shard K/N`` splits the audit targets; ``compile-audit merge`` joins the reports
into what one run gives."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")


def cli(cwd, *args):
    proc = subprocess.run([sys.executable, "-m", "compile_audit", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def summary(document):
    """What must not depend on sharding: every finding with its verdict and cost, the targets,
    the counts (timings aside)."""
    findings = sorted((f["path"], f["line"], f["column"], f["code"], f["status"], f["impact"]["rank"],
                       f["impact"]["targets"]) for f in document["findings"])
    targets = sorted((t["target"], t["graphs"], t["fullgraph"]["status"], len(t["breaks"])) for t in document["targets"])
    return findings, targets, document["summary"]


def test_two_shards_merged_equal_one_run(tmp_path):
    shutil.copytree(FIXTURES / "everyday", tmp_path / "everyday")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shards = []
    for index in (1, 2):
        code, _, err = cli(tmp_path, "scan", "everyday", "--confirm", "--shard", f"{index}/2",
                           "--output-format", "json", "-o", f"shard{index}.json")
        assert code == 1, err
        shards.append(json.loads((tmp_path / f"shard{index}.json").read_text()))
    names = [{t["target"] for t in shard["targets"]} for shard in shards]
    assert names[0] and names[1] and not names[0] & names[1]  # each target in exactly one shard
    code, out, err = cli(tmp_path, "merge", "shard1.json", "shard2.json")
    assert code == 1, err
    merged = json.loads(out)
    code, out, err = cli(tmp_path, "scan", "everyday", "--confirm", "--output-format", "json",
                         "--save-verdicts", "whole.verdicts.json")
    whole = json.loads(out)
    assert summary(merged) == summary(whole)
    assert len(merged["targets"]) == len(names[0]) + len(names[1]) == 7

    # the verdict files too: the merged one is the one a whole run saves
    for index in (1, 2):
        cli(tmp_path, "scan", "everyday", "--confirm", "--shard", f"{index}/2", "--save-verdicts",
            f"shard{index}.verdicts.json")
    code, _, err = cli(tmp_path, "merge", "shard1.verdicts.json", "shard2.verdicts.json", "-o", "merged.verdicts.json")
    assert code == 0, err

    def verdicts(name):
        return sorted((v["code"], v["path"], v["fingerprint"], v["status"], v["target"])
                      for v in json.loads((tmp_path / name).read_text())["verdicts"])

    assert verdicts("merged.verdicts.json") == verdicts("whole.verdicts.json")


def test_shard_and_merge_refuse_bad_input(tmp_path):
    code, _, err = cli(tmp_path, "scan", ".", "--shard", "3/2", "--confirm")
    assert code == 2 and "1 <= K <= N" in err
    code, _, err = cli(tmp_path, "scan", ".", "--shard", "1/2")
    assert code == 2 and "add --confirm" in err
    (tmp_path / "a.json").write_text("{}")
    code, _, err = cli(tmp_path, "merge", "a.json")
    assert code == 2 and "not a compile-audit JSON report" in err
