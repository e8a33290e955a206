from compile_audit.rule import Rule, Valid


class UnpredictedRecompile(Rule):
    code = "CA904"
    name = "unpredicted-recompile"
    severity = "warning"
    scope = "module"
    dynamic_only = True
    proof = "none"
    message = "{reason}"
    what = (
        "Reported by the dynamic layer only, for targets that give `recompile_args`: the "
        "second call made Dynamo compile again, and the guard that failed points at this line, "
        "where no CA3xx rule predicted a recompilation hazard."
    )
    why = (
        "Every recompilation costs a full trace (and, with inductor, a new kernel compile); "
        "after `recompile_limit` (8) of them Dynamo gives up on the frame and runs it eagerly "
        "in default mode, or raises under `fullgraph=True`. The guard text says what changed: "
        "a Python int attribute, an object identity, a shape."
    )
    fix_safety = "No fix: make the value a tensor, mark the dimension dynamic, or stop mutating it in forward."
    VALID = [Valid("import torch\n"), Valid("x = 1\n")]
    INVALID = []
