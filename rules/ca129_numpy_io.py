from compile_audit.lint.rule import CallRule, Invalid, Valid


class NumpyUntraceable(CallRule):
    code = "CA129"
    name = "numpy-untraceable"
    severity = "error"
    CALLS = frozenset(
        {
            "numpy.save", "numpy.savez", "numpy.savez_compressed", "numpy.load", "numpy.savetxt",
            "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.set_printoptions",
            "numpy.array2string", "numpy.array_str", "numpy.array_repr", "numpy.seterr",
        }
    )
    message = "`{name}()` is outside the NumPy subset torch can trace: Dynamo breaks the graph (GB0294)"
    what = (
        "Flags NumPy calls inside compiled code that torch's NumPy tracing does not support: file "
        "I/O (`np.save`, `np.load`, `np.savetxt`, ...), printing and global settings "
        "(`np.set_printoptions`, `np.seterr`, `np.array2string`). Ordinary NumPy math on tensors "
        "compiles on torch 2.1+ and is not flagged; `numpy.random` is CA115."
    )
    why = (
        "Dynamo traces NumPy code by rewriting it to torch operations (`torch._numpy`). Functions "
        "without a torch equivalent, like file I/O, raise 'attempted to trace numpy function "
        "unsupported by PyTorch' (GB0294) and break the graph."
    )
    fix_safety = "No automatic fix: move the call out of compiled code."
    gb_codes = ("GB0294",)
    verdict = "torch 2.13: breaks in every mode (GB0294); `np.sin(x)`, `x.numpy()` and friends compile."
    VALID = [
        Valid(
            """
            import numpy as np
            import torch

            @torch.compile
            def smooth(x):
                return torch.from_numpy(np.tanh(x.numpy()) * 2)
            """,
            target="smooth, (torch.randn(4),)",
        ),
        Valid(
            """
            import numpy as np
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    return np.sin(x) + np.cos(x)

            def dump(x, path):
                np.save(path, x.numpy())
            """,
            target="Net(), (torch.randn(4),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import numpy as np
            import torch

            @torch.compile
            def step(x):
                np.save("/dev/null", x.numpy())
                return x + 1
            """,
            line=6,
            target="step, (torch.randn(4),)",
        ),
        Invalid(
            """
            import numpy as np
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    text = np.array2string(x.numpy())
                    return x + len(text)
            """,
            line=6,
            target="Net(), (torch.randn(4),)",
        ),
    ]
