from compile_audit.lint.rule import CallRule, Invalid, Valid


class UntraceableCall(CallRule):
    code = "CA122"
    name = "untraceable-call"
    severity = "error"
    CALLS = frozenset(
        {
            "os.getpid", "os.getppid", "os.urandom", "os.system", "sys.getrefcount", "sys.getsizeof",
            "gc.collect", "builtins.breakpoint", "builtins.input", "pdb.set_trace", "threading.Lock",
            "threading.RLock", "threading.get_ident", "threading.current_thread", "uuid.uuid4",
            "socket.gethostname", "platform.node", "subprocess.run", "subprocess.check_output",
            # TorchScript's runtime type check: Dynamo skips torch.jit's frames (GB0007)
            "torch.jit.isinstance",
        }
    )
    PREFIXES = ("zlib.", "hashlib.", "pickle.", "json.", "struct.", "ctypes.", "multiprocessing.")
    message = "`{name}()` is C code or OS state Dynamo cannot trace: it breaks the graph here (GB0007, GB0156)"
    what = (
        "Flags calls Dynamo cannot trace inside compiled code: C-implemented standard-library "
        "functions (`zlib`, `hashlib`, `pickle`, `json`, `struct`, `ctypes`), process and thread "
        "state (`os.getpid`, `threading.Lock`, `uuid.uuid4`, `subprocess`), interpreter "
        "introspection (`sys.getrefcount`, `gc.collect`), debuggers (`breakpoint()`, `pdb.set_trace()`) "
        "and TorchScript's `torch.jit.isinstance` (use the builtin `isinstance`, which Dynamo evaluates)."
    )
    why = (
        "Dynamo only traces Python bytecode and the C functions it models. Anything else is marked "
        "as skipped ('likely a C extension or builtin', GB0007) or unsupported (GB0156), and the "
        "graph breaks there on every call. Math on Python constants (`math.*`) is folded and "
        "compiles."
    )
    fix_safety = (
        "No automatic fix: compute the value before the compiled region and pass it in."
        " Escape hatches that keep the call site in the graph: put the code in a function decorated "
        "`@torch.library.custom_op` (opaque to Dynamo; needs a fake implementation, `register_fake`) or "
        "`@torch._dynamo.nonstrict_trace` (traced without Dynamo: tensors and pytrees in and out, no "
        "side effects seen); compile-audit does not look inside either."
    )
    gb_codes = ("GB0007", "GB0156", "GB0059")
    verdict = "torch 2.13: breaks in every mode."
    VALID = [
        Valid(
            """
            import math

            import torch

            @torch.compile
            def scale(x):
                return x * math.sqrt(x.shape[-1])
            """,
            target="scale, (torch.ones(4),)",
        ),
        Valid(
            """
            import json

            import torch

            class Net(torch.nn.Module):
                def __init__(self, config: str = '{"scale": 2}'):
                    super().__init__()
                    self.scale = json.loads(config)["scale"]

                def forward(self, x):
                    return x * self.scale
            """,
            target="Net(), (torch.ones(4),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class Decoder(torch.nn.Module):
                def forward(self, x, skip=None):
                    if skip is not None and torch.jit.isinstance(skip, torch.Tensor):
                        x = x + skip
                    return x
            """,
            line=5,
            target="Decoder(), (torch.ones(2), torch.ones(2))",
        ),
        Invalid(
            """
            import zlib

            import torch

            @torch.compile
            def tagged(x):
                tag = zlib.crc32(b"layer")
                return x + tag % 7
            """,
            line=7,
            target="tagged, (torch.ones(4),)",
        ),
        Invalid(
            """
            import json

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    meta = json.dumps({"dim": x.dim()})
                    return x + len(meta)
            """,
            line=7,
            target="Net(), (torch.ones(4),)",
        ),
        Invalid(
            """
            import os

            import torch

            @torch.compile
            def step(x):
                return x + os.getpid() % 2
            """,
            line=7,
            target="step, (torch.ones(4),)",
        ),
    ]
