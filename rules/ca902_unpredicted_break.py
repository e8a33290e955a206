from compile_audit.lint.rule import Rule, Run, Valid


class UnpredictedGraphBreak(Rule):
    code = "CA902"
    own = True
    name = "unpredicted-graph-break"
    severity = "error"
    scope = "module"
    proof = None
    dynamic_only = True
    message = "{reason}"
    what = (
        "Reported by the dynamic layer (`--confirm`, `verify`) only: Dynamo broke the graph at "
        "this line while compiling an audit target, and no static rule predicted it. The "
        "message gives Dynamo's graph-break type and GB code, the mode it broke in "
        "(`fullgraph=True`, the default, or both) and the library frame when the break happened "
        "inside torch or a third-party package called from this line."
    )
    why = (
        "The static rules guess from the source; Dynamo knows. A break no rule predicted is "
        "either a pattern the catalog does not cover yet or one hidden behind a call the static "
        "layer cannot follow (another file, a registry). It is a real break on the installed "
        "torch either way."
    )
    fix_safety = "No fix: read Dynamo's explanation and the rule catalog for the pattern."
    gb_codes = ()
    # The static layer never reports this code: its examples are source no static rule flags.
    VALID = [Valid("import torch\n"), Valid("x = 1\n")]
    INVALID = []
    EXAMPLE_RUN = Run(
        files=(
            ("model.py", """
                import torch


                def scale(x):
                    if x.is_inference():
                        return x
                    return x * 2
                """),
            ("audit_model.py", """
                import torch

                from model import scale


                def audit_scale():
                    return scale, (torch.ones(4),)
                """),
        ),
        args=("verify", "."),
        torch="2.13.0",
        output="""
            dynamic verdicts from torch 2.13.0
            model.py:5:8: CA902 [error] (dynamic) Dynamo breaks the graph here in both modes
              help: Encountered tensor.is_inference() during tracing (GB0045). tensor.is_inference() is not supported
              impact: the break cut the target's capture: 1 graph (1 ops) (measured, rank 1)
              = target: audit_model.py::audit_scale
              |
            4 | def scale(x):
            5 |     if x.is_inference():
              |        ^ CA902
            6 |         return x
              |


            audit targets: torch 2.13.0, backend=eager, device=cpu
              audit_model.py::audit_scale
                  fullgraph=True: break GB0045 · default-mode breaks: 1 · graphs: 1 (1 ops) 50% · lines traced: 3 · ran untraced: 0 · seconds: 0.64
            Found 1 finding (1 error) in 1 of 2 files.
            """,
    )
