"""The recorder's claims: processes recording one program side by side (pytest-xdist's workers)
record each variant and each call once (no torch needed)."""

import json
import multiprocessing

from compile_audit.dynamic import recorded


def _claim_all(folder, names, queue):
    recorder = recorded.load_recorder()
    recorder._STATE["spec"] = {"folder": folder}
    mine = []
    for name, content in names:
        slot, won = recorder._claim(name, content, 2)
        if won:
            mine.append((name, slot, content))
    queue.put(mine)


def test_concurrent_claims_give_each_slot_to_one_process(tmp_path):
    names = [(f"f{i % 7}.call", f"shapes{i % 3}") for i in range(60)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_claim_all, args=(str(tmp_path), names, queue)) for _ in range(3)]
    for worker in workers:
        worker.start()
    won = [claim for _ in workers for claim in queue.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
    # every (name, content) pair that fits one of the 2 slots of its name was claimed exactly once
    assert len(won) == len({(name, slot) for name, slot, _ in won})
    for name in {n for n, _ in names}:
        contents = sorted(c for n, _, c in won if n == name)
        assert len(contents) == 2 and len(set(contents)) == 2
        for slot in (0, 1):
            assert (tmp_path / f"{name}.{slot}").read_text() in contents
    assert not list(tmp_path.glob(".claim.*"))  # the drafts are gone


def test_a_claim_held_by_another_process_is_found_again(tmp_path):
    recorder = recorded.load_recorder()
    recorder._STATE["spec"] = {"folder": str(tmp_path)}
    assert recorder._claim("g.variant", json.dumps({"id": "a"}), 4) == (0, True)
    assert recorder._claim("g.variant", json.dumps({"id": "b"}), 4) == (1, True)
    assert recorder._claim("g.variant", json.dumps({"id": "a"}), 4) == (0, False)
    for n in "cd":
        recorder._claim("g.variant", json.dumps({"id": n}), 4)
    assert recorder._claim("g.variant", json.dumps({"id": "e"}), 4) == (None, False)  # all held


def test_coverage_joins_the_processes(tmp_path):
    from compile_audit.lint import cache

    base = tmp_path / cache.FOLDER / recorded.FOLDER
    base.mkdir(parents=True)
    (base / "coverage.1.json").write_text(json.dumps({"lines": {"/a.py": [3]}, "called": {"k": 2}, "traced_calls": 16}))
    (base / "coverage.2.json").write_text(json.dumps({"lines": {"/a.py": [5], "/b.py": [1]}, "called": {"k": 1}}))
    ran = recorded.coverage(tmp_path)
    assert ran == {"lines": {"/a.py": [3, 5], "/b.py": [1]}, "called": {"k": 3}, "traced_calls": 16}
