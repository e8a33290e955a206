from compile_audit.lint.rule import CallRule, Invalid, Valid


class ManualSeed(CallRule):
    code = "CA118"
    name = "manual-seed"
    severity = "error"
    CALLS = frozenset({"torch.manual_seed", "torch.random.manual_seed", "torch.seed", "torch.cuda.manual_seed",
                       "torch.cuda.manual_seed_all", "torch.set_rng_state", "torch.random.set_rng_state"})
    message = "`{name}()` resets the global RNG inside compiled code: Dynamo breaks the graph (GB0007)"
    what = "Flags seeding or setting the global RNG state (`torch.manual_seed`, `torch.cuda.manual_seed`, `set_rng_state`) inside compiled code."
    why = (
        "Seeding mutates global generator state that Dynamo does not model: the call is skipped "
        "and the graph breaks (GB0007). Seed once before compiling, or pass a `torch.Generator`."
    )
    fix_safety = "No automatic fix: move the seeding to setup code."
    gb_codes = ("GB0007",)
    verdict = "torch 2.13: breaks in every mode (GB0007)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def noisy(x):
                return x + torch.randn_like(x)

            def main():
                torch.manual_seed(0)
                return noisy(torch.ones(3))
            """,
            target="noisy, (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    torch.manual_seed(0)
                    self.proj = torch.nn.Linear(3, 3)

                def forward(self, x):
                    return self.proj(x)
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def noisy(x):
                torch.manual_seed(0)
                return x + torch.rand_like(x)
            """,
            line=5,
            target="noisy, (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    torch.random.manual_seed(1)
                    return x + torch.rand_like(x)
            """,
            line=5,
            target="Net(), (torch.ones(3),)",
        ),
    ]
