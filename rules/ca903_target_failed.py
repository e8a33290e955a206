from compile_audit.lint.rule import Rule, Run, Valid


class TargetFailed(Rule):
    code = "CA903"
    own = True
    name = "target-failed"
    severity = "error"
    scope = "module"
    proof = None
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
    EXAMPLE_RUN = Run(
        files=(
            ("model.py", """
                import torch


                class Projection(torch.nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.weight = torch.nn.Parameter(torch.ones(4, 5))

                    def forward(self, x):
                        return x @ self.weight
                """),
            ("audit_model.py", """
                import torch

                from model import Projection


                def audit_projection():
                    model = Projection()
                    model.load_state_dict(torch.load("projection.pt"))
                    return model, (torch.ones(2, 4),)
                """),
        ),
        args=("verify", "."),
        torch="2.13.0",
        output="""
            dynamic verdicts from torch 2.13.0
            audit_model.py:8:1: CA903 [error] (dynamic) audit_projection
              help: factory error: audit_projection() raised FileNotFoundError: [Errno 2] No such file or directory: 'projection.pt'
              = target: audit_model.py::audit_projection
              |
            7 |     model = Projection()
            8 |     model.load_state_dict(torch.load("projection.pt"))
              | ^ CA903
            9 |     return model, (torch.ones(2, 4),)
              |


            audit targets: torch 2.13.0, backend=eager, device=cpu
              audit_model.py::audit_projection
                  fullgraph=True: factory error · default-mode breaks: - · graphs: - · lines traced: - · ran untraced: - · seconds: 0.02
            Found 1 finding (1 error) in 1 of 1 file.
            """,
    )
