from compile_audit.rule import Rule, Valid


class TargetFailed(Rule):
    code = "CA903"
    name = "target-failed"
    severity = "error"
    scope = "module"
    dynamic_only = True
    message = "{reason}"
    what = (
        "Reported by the dynamic layer only: an audit target could not be audited. Its file "
        "failed to import, its `audit_*` factory raised, it called `sys.exit`/`os._exit`, it "
        "hung past `--timeout`, its worker crashed (a segfault), it ran out of the memory the "
        "runner allows, or the target raises even without `torch.compile` (for FlexAttention, a "
        "broken `score_mod`/`mask_mod` fails this way: eager `flex_attention` and "
        "`create_block_mask` trace the mod too). The finding points at the innermost line of "
        "the user's files in the error, else at the `audit_*` function."
    )
    why = (
        "A target that cannot run proves nothing about graph breaks: its findings stay "
        "`unreached`. Each failure is reported against its own target and the rest of the run "
        "goes on, in a fresh worker when the old one died."
    )
    fix_safety = "No fix: repair the target (or the code it exercises)."
    VALID = [Valid("import torch\n"), Valid("def audit_ok():\n    return None\n")]
    INVALID = []
