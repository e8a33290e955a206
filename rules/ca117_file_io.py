import libcst as cst

from compile_audit.lint.rule import CallRule, Invalid, Valid

PATH_IO = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open", "exists", "mkdir", "unlink"})


class FileIO(CallRule):
    code = "CA117"
    name = "file-io"
    severity = "error"
    CALLS = frozenset({"builtins.open", "io.open", "os.open", "os.read", "os.write", "os.remove", "os.makedirs",
                       "os.listdir", "shutil.copy", "shutil.copyfile", "shutil.rmtree", "torch.save", "torch.load"})
    message = "file I/O (`{name}`) in compiled code: Dynamo cannot trace it and breaks the graph"
    what = (
        "Flags file access inside compiled code: `open(...)`, `os` and `shutil` file functions, "
        "`torch.save`/`torch.load`, and `pathlib.Path(...)` reads and writes."
    )
    why = (
        "Files are operating-system side effects: `open` fails to trace as a builtin (GB0059) and "
        "the `os`/`pathlib` functions are skipped C code (GB0007). Checkpointing or dumping "
        "activations from `forward` therefore splits the graph on every call."
    )
    fix_safety = "No automatic fix: do I/O outside the compiled region (return the tensors, save them there)."
    gb_codes = ("GB0059", "GB0007")
    verdict = "torch 2.13: breaks in every mode."
    VALID = [
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def __init__(self, path=None):
                    super().__init__()
                    self.proj = torch.nn.Linear(2, 2)
                    if path is not None:
                        with open(path, "rb") as fh:
                            self.load_state_dict(torch.load(fh))

                def forward(self, x):
                    return self.proj(x)
            """,
            target="Net(), (torch.ones(2),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                return x * 2

            def checkpoint(x, path):
                torch.save(step(x), path)
            """,
            target="step, (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def step(x):
                with open("/dev/null", "w") as fh:
                    fh.write("step")
                return x * 2
            """,
            line=5,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            from pathlib import Path

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    Path("/dev/null").write_text("forward")
                    return x + 1
            """,
            line=7,
            target="Net(), (torch.ones(2),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in PATH_IO
            and isinstance(func.value, cst.Call)
            and self.qualified_name(func.value.func) in ("pathlib.Path", "pathlib.PurePath")
        ):
            self.report(node, name=f"Path(...).{func.attr.value}", qualified="pathlib.Path")
