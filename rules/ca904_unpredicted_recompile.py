from compile_audit.lint.rule import Rule, Run, Valid


class UnpredictedRecompile(Rule):
    code = "CA904"
    own = True
    name = "unpredicted-recompile"
    severity = "warning"
    scope = "module"
    dynamic_only = True
    proof = None
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
    EXAMPLE_RUN = Run(
        files=(
            ("model.py", """
                import torch


                def pad(x, width):
                    return torch.nn.functional.pad(x, (0, width - x.shape[-1]))
                """),
            ("audit_model.py", """
                import torch

                from compile_audit import Target
                from model import pad


                def audit_pad():
                    return Target(pad, args=(torch.ones(3), 8), recompile_args=(torch.ones(3), 9))
                """),
        ),
        args=("verify", "."),
        torch="2.13.0",
        output="""
            dynamic verdicts from torch 2.13.0
            model.py:5:1: CA904 [warning] (dynamic) Dynamo recompiled on the target's second call
              help: guard that failed: width == 8
              = target: audit_model.py::audit_pad
              |
            4 | def pad(x, width):
            5 |     return torch.nn.functional.pad(x, (0, width - x.shape[-1]))
              | ^ CA904
              |


            audit targets: torch 2.13.0, backend=eager, device=cpu
              audit_model.py::audit_pad
                  fullgraph=True: compiled · default-mode breaks: 0 · graphs: 1 (1 ops) 100%, 1 recompile · lines traced: 2 · ran untraced: 0 · seconds: 0.95
            Found 1 finding (1 warning) in 1 of 2 files.
            """,
    )
