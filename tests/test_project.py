"""The project index (compile_audit.analysis.project): what the whole scan compiles, and its aliases."""

import json
import os
import subprocess
import sys
import textwrap

from compile_audit.analysis.paths import module_name
from compile_audit.analysis.project import Compiled, ProjectIndex

import pytest


@pytest.fixture
def scan_json(run_cli):
    def scan(root, *paths):
        code, out, err = run_cli("scan", *paths, "--no-cache", "--output-format", "json", cwd=root)
        assert code in (0, 1), err
        return [(f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"]]

    return scan


def write(root, files: dict):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


ATTENTION = """
    import torch
    from torch.nn.attention.flex_attention import flex_attention


    class Attention(torch.nn.Module):
        def forward(self, q, k, v):
            return flex_attention(q, k, v)


    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = Attention()

        def forward(self, x):
            return self.attn(x, x, x)
"""


def test_module_names_follow_the_package_folders(tmp_path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/mod.py": "x = 1\n"})
    assert module_name(tmp_path / "pkg" / "sub" / "mod.py") == ("pkg.sub.mod", False)
    assert module_name(tmp_path / "pkg" / "sub" / "__init__.py") == ("pkg.sub", True)


def test_ca207_is_quiet_when_a_script_compiles_the_model_that_holds_the_layer(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/attention.py": ATTENTION,
        "scripts/bench.py": """
            import torch
            from pkg.attention import Block

            model = Block()
            model = torch.compile(model)
        """,
    })
    assert scan_json(tmp_path, "pkg") == [("CA207", "pkg/attention.py", 7)]  # the script is not scanned
    assert scan_json(tmp_path, ".") == []


def test_ca207_never_fires_in_test_files(tmp_path, scan_json):
    write(tmp_path, {"tests/test_attention.py": """
        import torch
        from torch.nn.attention.flex_attention import flex_attention

        def test_reference():
            q = torch.randn(1, 1, 16, 8)
            assert flex_attention(q, q, q).shape == q.shape
    """})
    assert scan_json(tmp_path, ".") == []


def test_compile_calls_name_the_classes_and_functions_they_compile(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from .model import Model as Model\n",
        "pkg/model.py": """
            import torch

            class Model(torch.nn.Module):
                def forward(self, x):
                    return x

            def step(x):
                return x

            class Runner:
                def __init__(self):
                    self.decode = torch.compile(self.decode)

                def decode(self, x):
                    return x
        """,
        "train.py": """
            import torch
            import pkg
            from pkg.model import step

            net = pkg.Model().cuda()
            net.compile()
            fast = torch.compile(step)
            torch.compile(pkg.Model())
        """,
    })
    index = ProjectIndex.build(sorted(tmp_path.rglob("*.py")))
    assert set(index.compiled) >= {"pkg.model.Model", "pkg.model.step", "pkg.model.Runner.decode"}
    assert "pkg.model.Runner" not in index.compiled  # only its method


def test_project_aliases_resolve_decorators_defined_in_other_files(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/typing.py": """
            import torch

            def nullwrap(fn):
                return fn

            disable_compiler = getattr(getattr(torch, "compiler", None), "disable", None) or nullwrap
        """,
        "pkg/layers/__init__.py": "from ..typing import disable_compiler\n",
        "pkg/model.py": """
            import torch
            from .layers import disable_compiler

            def grid(coord):
                return coord.max().item()

            class Model(torch.nn.Module):
                @disable_compiler
                def sizes(self, coord):
                    return grid(coord)

                def forward(self, x, coord):
                    return x * self.sizes(coord)
        """,
    })
    # the .item() is reached only from a method disabled through the project's own alias
    assert [c for c in scan_json(tmp_path, ".") if c[0] == "CA102"] == []
    index = ProjectIndex.build(sorted(tmp_path.rglob("*.py")))
    assert index.resolve("pkg.layers.disable_compiler") == "torch.compiler.disable"


def test_return_annotations_of_other_files_type_the_values(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/transform.py": """
            from typing import Optional
            import torch
            from torch import Tensor

            class Transform(torch.nn.Module):
                def forward(self, images, targets) -> tuple[Tensor, Optional[list[dict[str, Tensor]]]]:
                    return images, targets
        """,
        "pkg/model.py": """
            import torch
            from .transform import Transform

            class Detector(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.transform = Transform()

                def forward(self, images, targets=None):
                    images, targets = self.transform(images, targets)
                    if targets is not None:
                        for target in targets:
                            degenerate = target["boxes"][:, 2:] <= target["boxes"][:, :2]
                            if degenerate.any():
                                images = images * 0
                    return images
        """,
    })
    assert ("CA104", "pkg/model.py", 14) in scan_json(tmp_path, ".")


def test_data_and_export_folders_are_not_compiled_unless_the_project_compiles_them(tmp_path, scan_json):
    transform = """
        import torch

        class RandomCrop(torch.nn.Module):
            def forward(self, img):
                i = torch.randint(0, 10, size=(1,)).item()
                return img[..., i:]
    """
    write(tmp_path, {"data/transforms.py": transform, "pkg/_export/attention.py": transform,
                     "model/layers.py": transform})
    assert scan_json(tmp_path, ".") == [("CA102", "model/layers.py", 5)]
    write(tmp_path, {"train.py": """
        import torch
        from data.transforms import RandomCrop

        crop = torch.compile(RandomCrop())
    """})
    assert ("CA102", "data/transforms.py", 5) in scan_json(tmp_path, ".")


def test_a_class_that_compiles_one_method_is_not_compiled_whole(tmp_path, scan_json):
    write(tmp_path, {"gen.py": """
        import torch

        class Generator(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.step = torch.compile(self.step)

            def step(self, x):
                return x * 2

            def forward(self, x):
                n = x.sum().item()  # eager: only step is compiled
                return self.step(x) * n
    """})
    assert scan_json(tmp_path, ".") == []


def test_statistics_only_observers_are_not_compiled(tmp_path, scan_json):
    write(tmp_path, {"quant.py": """
        import torch

        class MinMaxObserver(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("min_val", torch.tensor(float("inf")))

            def forward(self, x_orig):
                if self.min_val == float("inf"):
                    self.min_val.copy_(x_orig.min())
                return x_orig
    """})
    assert scan_json(tmp_path, ".") == []


def test_a_class_whose_forward_a_project_decorator_replaces_is_not_compiled_whole(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/dispatch.py": """
            def use_fast_path(cls):
                original = cls.forward

                def forward(self, *args):
                    return FAST.get(self.impl, original)(self, *args)

                cls.forward = forward
                return cls

            FAST = {}
        """,
        "pkg/experts.py": """
            import torch
            from .dispatch import use_fast_path

            @use_fast_path
            class Experts(torch.nn.Module):
                def forward(self, mask):
                    return mask.nonzero()
        """,
    })
    assert scan_json(tmp_path, ".") == []
    (tmp_path / "pkg" / "experts.py").write_text((tmp_path / "pkg" / "experts.py").read_text().replace("@use_fast_path\n", ""))
    assert scan_json(tmp_path, ".") == [("CA110", "pkg/experts.py", 6)]


def test_a_class_whose_instances_get_one_method_compiled_elsewhere_is_not_compiled_whole(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/loss.py": """
            import torch

            class ChunkedHead(torch.nn.Module):
                def inner(self, x):
                    return x.sum()

                def forward(self, chunks):
                    total = torch.stack([self.inner(c) for c in chunks]).sum()
                    if total == 0:  # eager: only `inner` is compiled
                        return total
                    return total / len(chunks)
        """,
        "pkg/training.py": """
            import torch
            from .loss import ChunkedHead

            def compile_loss(loss):
                if isinstance(loss, ChunkedHead):
                    loss.inner = torch.compile(loss.inner)
                else:
                    loss = torch.compile(loss)
                return loss
        """,
    })
    assert scan_json(tmp_path, ".") == []
    # one answer: the file alone is read against the whole project, which compiles only `inner`
    assert scan_json(tmp_path, "pkg/loss.py") == []


def test_the_index_is_cached_per_file_content(tmp_path, monkeypatch):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": ATTENTION, "train.py": """
        import torch
        from pkg.model import Block

        torch.compile(Block())
    """})
    files = sorted(tmp_path.rglob("*.py"))
    cache = tmp_path / ".cache"
    first = ProjectIndex.build(files, roots=(tmp_path,), cache_folder=cache)
    import compile_audit.analysis.project as project

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(project.ast, "parse", no_parsing)
    second = ProjectIndex.build(files, roots=(tmp_path,), cache_folder=cache)
    assert second.compiled == first.compiled and second.aliases == first.aliases
    assert "pkg.model.Attention" in second.compiled  # a layer of the compiled Block
    (tmp_path / "train.py").write_text("import torch\n")  # changed content: parsed again
    monkeypatch.undo()
    third = ProjectIndex.build(sorted(tmp_path.rglob("*.py")), roots=(tmp_path,), cache_folder=cache)
    assert third.compiled == {}


def test_compiled_entries_say_where_and_through_which_model(tmp_path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": ATTENTION, "train.py": """
        import torch
        from pkg.model import Block

        torch.compile(Block())
    """})
    index = ProjectIndex.build(sorted(tmp_path.rglob("*.py")), roots=(tmp_path,))
    block, layer = index.compiled["pkg.model.Block"], index.compiled["pkg.model.Attention"]
    assert block == Compiled(block.where) and block.where.endswith("train.py:4")
    assert layer.where == block.where and layer.via == ("pkg.model.Block",)
    assert layer.text() == f"{block.where} (a layer of Block)"
    assert index.compiled_where("pkg.model.Attention") == layer.text()
    # the digest is a pure function of the index: the same files, the same digest
    again = ProjectIndex.build(sorted(tmp_path.rglob("*.py")), roots=(tmp_path,))
    assert again.digest() == index.digest() and len(index.digest()) == 16


def test_loss_modules_are_compiled_only_when_the_project_compiles_them(tmp_path, scan_json):
    loss = """
        import torch

        class FocalLoss(torch.nn.Module):
            def forward(self, pred, label):
                if (label > 0).any():
                    return pred.sum()
                return pred.mean()
    """
    write(tmp_path, {"pkg/__init__.py": "", "pkg/loss.py": loss})
    assert scan_json(tmp_path, ".") == []
    write(tmp_path, {"train.py": """
        import torch
        from pkg.loss import FocalLoss

        criterion = torch.compile(FocalLoss())
    """})
    assert scan_json(tmp_path, ".") == [("CA104", "pkg/loss.py", 5)]


def test_a_loss_called_from_compiled_code_or_compiled_by_name_is_compiled(tmp_path, scan_json):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": """
        import torch

        class MaskedLoss(torch.nn.Module):
            def forward(self, pred, mask):
                return pred[mask.nonzero()].mean()

        class Pretrainer(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.loss = MaskedLoss()

            def forward(self, pred, mask):
                return self.loss(pred, mask)  # the loss runs inside this forward
    """})
    assert scan_json(tmp_path, ".") == [("CA110", "pkg/model.py", 5)]
    write(tmp_path, {"pkg/focal.py": """
        import torch

        class FocalLoss(torch.nn.Module):
            def forward(self, pred, label):
                if (label > 0).any():
                    return pred.sum()
                return pred.mean()
    """, "pkg/training.py": """
        import torch

        def compile_loss(loss):
            return torch.compile(loss)
    """})
    assert ("CA104", "pkg/focal.py", 5) in scan_json(tmp_path, ".")


def test_a_module_built_only_by_losses_is_part_of_the_loss(tmp_path, scan_json):
    assigner = """
        import torch

        class Assigner(torch.nn.Module):
            def forward(self, scores, mask):
                return scores[mask.nonzero(as_tuple=True)]
    """
    write(tmp_path, {"pkg/__init__.py": "", "pkg/assign.py": assigner, "pkg/loss.py": """
        from pkg.assign import Assigner

        class DetectionLoss:
            def __init__(self):
                self.assigner = Assigner()

            def __call__(self, scores, mask):
                return self.assigner(scores, mask).sum()
    """})
    assert scan_json(tmp_path, ".") == []
    # built by a model too: then it is a layer of that model, and compiled with it
    write(tmp_path, {"pkg/model.py": """
        import torch
        from pkg.assign import Assigner

        class Head(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.assigner = Assigner()

            def forward(self, scores, mask):
                return self.assigner(scores, mask)
    """})
    assert ("CA110", "pkg/assign.py", 5) in scan_json(tmp_path, ".")


def test_an_attribute_nothing_in_the_project_stores_makes_its_test_raise(tmp_path, scan_json):
    layer = """
        import torch

        class Quantize(torch.nn.Module):
            def __init__(self, optimize_values=True):
                super().__init__()
                self.register_buffer("weight", torch.tensor(1.0))

            def forward(self, x):
                if self.training and not self.optimize_values:
                    if self.weight != 0:
                        x = x * 2
                return x
    """
    write(tmp_path, {"pkg/__init__.py": "", "pkg/layer.py": layer})
    assert scan_json(tmp_path, ".") == []
    # another file stores it (a mixin, a config step): the branch can run
    write(tmp_path, {"pkg/setup.py": """
        def configure(layer):
            layer.optimize_values = False
    """})
    assert scan_json(tmp_path, ".") == [("CA104", "pkg/layer.py", 10)]


def test_a_method_called_only_to_flip_the_state_it_is_guarded_by_runs_once(tmp_path, scan_json):
    source = """
        import warnings

        import torch

        class Adapter(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.merged_adapters = []
                self.disabled = False

            @property
            def merged(self):
                return bool(self.merged_adapters)

            def unmerge(self):
                while self.merged_adapters:
                    self.merged_adapters.pop()
                    warnings.warn("unmerging")

            def forward(self, x):
                if self.disabled:
                    if self.merged:
                        self.unmerge()
                return x
    """
    write(tmp_path, {"adapter.py": source})
    assert scan_json(tmp_path, ".") == []
    # an unmerge() that does not change what `merged` reads is called on every such forward
    write(tmp_path, {"adapter.py": source.replace("self.merged_adapters.pop()", "pass")})
    assert scan_json(tmp_path, ".") == [("CA113", "adapter.py", 18)]


def test_a_flag_another_files_forward_passes_as_a_variable_is_not_a_constant(tmp_path, scan_json):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/desc.py": """
        import torch

        class Descriptor(torch.nn.Module):
            def forward(self, x):
                return self.describe(x, upright=True)

            def describe(self, x, upright=False):
                if not upright:
                    x = x[x > 0]
                return x
    """})
    assert scan_json(tmp_path, ".") == []  # every caller it knows passes upright=True
    write(tmp_path, {"pkg/feature.py": """
        import torch

        class Feature(torch.nn.Module):
            def __init__(self, descriptor, upright):
                super().__init__()
                self.descriptor, self.upright = descriptor, upright

            def forward(self, x):
                return self.descriptor.describe(x, upright=self.upright)
    """})
    assert scan_json(tmp_path, ".") == [("CA111", "pkg/desc.py", 9)]


def test_helpers_of_other_files_called_from_compiled_code_are_compiled(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/utils.py": """
            def describe(x):
                print("pooled", tuple(x.shape))
                return x

            def only_in_scripts(x):
                print("eager")
                return x
        """,
        "pkg/model.py": """
            import torch
            from .utils import describe

            class Pooler(torch.nn.Module):
                def forward(self, x):
                    return describe(x)
        """,
        "train.py": """
            from pkg.utils import only_in_scripts
            only_in_scripts(1)
        """,
    })
    found = [(c[0], c[1], c[2]) for c in scan_json(tmp_path, ".")]
    assert ("CA105", "pkg/utils.py", 2) in found
    assert not [c for c in found if c[1] == "pkg/utils.py" and c[2] == 6]


def test_the_call_graph_skips_eager_branches_but_keeps_dispatch(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/utils.py": """
            def deprecate(name):
                print("deprecated:", name)

            def warn_eager(x):
                print("eager only")

            def lm_path(x):
                print("dispatched")
                return x
        """,
        "pkg/model.py": """
            import torch
            from .utils import deprecate, lm_path, warn_eager

            class Net(torch.nn.Module):
                def __init__(self, mode="lm"):
                    super().__init__()
                    self.mode = mode

                def forward(self, x, *args, **kwargs):
                    if len(args) > 0 or kwargs.get("scale") is not None:
                        deprecate("scale")
                    if not torch.compiler.is_compiling():
                        warn_eager(x)
                    if self.mode == "lm":
                        return lm_path(x)
                    return x
        """,
    })
    found = {(c[0], c[1], c[2]) for c in scan_json(tmp_path, ".") if c[1] == "pkg/utils.py"}
    assert found == {("CA105", "pkg/utils.py", 8)}


def test_a_flag_no_compiled_caller_in_another_file_passes_stays_at_its_default(tmp_path, scan_json):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/pos_embed.py": """
            def resample(posemb, size, verbose: bool = False):
                if verbose:
                    print("resized", size)
                return posemb

            def resample_loud(posemb, size, verbose: bool = False):
                if verbose:
                    print("resized", size)
                return posemb
        """,
        "pkg/model.py": """
            import torch
            from .pos_embed import resample, resample_loud

            class Net(torch.nn.Module):
                def forward(self, x):
                    return resample(x, 4) + resample_loud(x, 4, verbose=True)
        """,
        "pkg/checkpoint.py": """
            from .pos_embed import resample

            def load(state):
                return resample(state, 4, verbose=True)  # eager: does not count
        """,
    })
    found = {(c[0], c[2]) for c in scan_json(tmp_path, ".") if c[1] == "pkg/pos_embed.py"}
    assert found == {("CA105", 8)}


def test_a_code_generation_source_named_by_a_generated_file_is_not_compiled(tmp_path, scan_json):
    model = """
        import torch

        class Bert(torch.nn.Module):
            def forward(self, x):
                return x[x > 0]
    """
    write(tmp_path, {
        "models/__init__.py": "",
        "models/bert/__init__.py": "",
        "models/bert/modular_bert.py": model,
        "models/bert/modeling_bert.py": "# This file was automatically generated from src/models/bert/modular_bert.py.\n"
                                        + textwrap.dedent(model),
    })
    found = {c[1] for c in scan_json(tmp_path, ".") if c[0] == "CA111"}
    assert found == {"models/bert/modeling_bert.py"}


def test_the_project_digest_and_what_it_reports_do_not_depend_on_hash_order(tmp_path):
    """The per-file cache keys on the project digest: a digest that changed with the string hash
    seed made every run a cache miss (the call graph was walked in set order)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text("def shared(x):\n    return x.item()\n")
    names = [f"branch_{i}" for i in range(12)]  # each reaches shared() first in some set order
    (tmp_path / "pkg" / "branches.py").write_text("from pkg.core import shared\n\n" + "".join(
        f"\ndef {name}(x):\n    return shared(x)\n\n" for name in names))
    (tmp_path / "pkg" / "model.py").write_text(
        "import torch\nfrom pkg.branches import " + ", ".join(names) + "\n\n\n@torch.compile\ndef step(x):\n"
        + "".join(f"    x = {name}(x)\n" for name in names) + "    return x\n")
    script = ("import sys\nfrom pathlib import Path\nfrom compile_audit.analysis.project import ProjectIndex\n"
              "root = Path(sys.argv[1])\nindex = ProjectIndex.build(sorted(root.rglob('*.py')), roots=(root,))\n"
              "print(index.digest(), sorted(index.reached.items()))\n")
    outputs = {subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
               for seed in range(6)}
    assert len(outputs) == 1, outputs
