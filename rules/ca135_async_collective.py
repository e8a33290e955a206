from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._first_use import read_after

#: the collectives Dynamo rewrites to functional collectives (``traceable_collective_remaps``),
#: with the position of their ``async_op`` parameter; the rewrite refuses ``async_op=True``
REWRITTEN = {
    "all_reduce": 3,
    "all_gather": 3,
    "all_gather_into_tensor": 3,
    "all_gather_single": 3,
    "_all_gather_base": 3,
    "reduce_scatter_tensor": 4,
    "reduce_scatter_single": 4,
    "_reduce_scatter_base": 4,
    "all_to_all_single": 5,
}
#: rewritten from torch 2.14 on (before, Dynamo skips the call whatever ``async_op`` is: GB0007)
REWRITTEN_SINCE_2_14 = {"reduce_scatter": 4}

#: a one-process gloo group, so that the examples' targets run anywhere
_GROUP = '''

def single_process_group():
    if not dist.is_initialized():
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", str(29500 + os.getpid() % 1000))
        dist.init_process_group("gloo", rank=0, world_size=1)
'''


def _module(body: str) -> str:
    return "\nimport os\n\nimport torch\nimport torch.distributed as dist\n" + _GROUP + body


class AsyncCollective(Rule):
    code = "CA135"
    name = "async-collective"
    severity = "error"
    message = (
        "`{name}(..., async_op=True)` in compiled code: Dynamo traces collectives only as "
        "synchronous functional collectives and breaks the graph (GB0172)"
    )
    what = (
        "Flags `torch.distributed` collectives that Dynamo traces (`all_reduce`, `all_gather`, "
        "`all_gather_into_tensor`, `reduce_scatter_tensor`, `all_to_all_single`, ...) called with "
        "`async_op=True` inside compiled code, and the `.wait()` on the handle such a call returned, "
        "when it is the first thing the code after the call does with the handle."
    )
    why = (
        "Dynamo rewrites these collectives into functional collectives, which have no `Work` "
        "handle to return: with `async_op=True` it refuses the call (GB0172). In default mode it "
        "runs the collective eagerly and resumes after it with the handle as an opaque `Work` "
        "object, and breaks again where the resumed code calls `handle.wait()` (GB0156)."
    )
    fix_safety = (
        "No automatic fix: drop `async_op=True` (the traced collective is waited on where its "
        "result is used), or issue the collective outside the compiled region."
    )
    gb_codes = ("GB0172", "GB0156")
    verdict = (
        "Breaks in every mode at the collective (GB0172), with `async_op=True` given as a constant; "
        "`async_op=False` compiles. In default mode the handle's `.wait()` breaks again (GB0156). "
        "`reduce_scatter` (of a list) is rewritten from torch 2.14 on; `broadcast`, `reduce`, "
        "`barrier` and the other collectives Dynamo does not rewrite break whatever `async_op` is "
        "(GB0007 up to 2.13, GB0156 from 2.14) and are not this rule's."
    )
    VALID = [
        Valid(
            _module(
                '''

class AllReduceMean(torch.nn.Module):
    def forward(self, x):
        dist.all_reduce(x, op=dist.ReduceOp.SUM)
        return x / dist.get_world_size()
'''
            ),
            target="(single_process_group(), (AllReduceMean(), (torch.randn(4),)))[1]",
        ),
        Valid(
            _module(
                '''

class Gather(torch.nn.Module):
    def forward(self, x):
        out = torch.empty(dist.get_world_size() * x.shape[0])
        dist.all_gather_into_tensor(out, x, async_op=False)
        return out * 2
'''
            ),
            target="(single_process_group(), (Gather(), (torch.randn(4),)))[1]",
        ),
        Valid(
            _module(
                '''

class Trainer:
    def sync_grads(self, model):
        # eager training-loop code: overlapped all-reduce of the gradients
        handles = [dist.all_reduce(p.grad, async_op=True) for p in model.parameters()]
        for handle in handles:
            handle.wait()


class Net(torch.nn.Module):
    def forward(self, x):
        return x * 2
'''
            ),
            target="(single_process_group(), (Net(), (torch.randn(4),)))[1]",
        ),
    ]
    INVALID = [
        Invalid(
            _module(
                '''

class AllReduceMean(torch.nn.Module):
    def forward(self, x):
        work = dist.all_reduce(x, op=dist.ReduceOp.SUM, async_op=True)
        work.wait()
        return x / dist.get_world_size()
'''
            ),
            line=16,
            target="(single_process_group(), (AllReduceMean(), (torch.randn(4),)))[1]",
        ),
        Invalid(
            _module(
                '''

@torch.compile
def gather(x):
    out = torch.empty(dist.get_world_size() * x.shape[0])
    dist.all_gather_into_tensor(out, x, async_op=True).wait()
    return out * 2
'''
            ),
            line=17,
            target="(single_process_group(), (gather, (torch.randn(4),)))[1]",
        ),
        Invalid(
            _module(
                '''

class Sync(torch.nn.Module):
    def forward(self, x):
        y = x * 2
        handle = torch.distributed.all_to_all_single(torch.empty_like(y), y, async_op=True)
        return y + 1
'''
            ),
            line=17,
            target="(single_process_group(), (Sync(), (torch.randn(4),)))[1]",
        ),
        # default mode: the second break, at the handle's wait() (static only: under
        # fullgraph=True the collective's own break comes first)
        Invalid(
            _module(
                '''

class AllReduceMean(torch.nn.Module):
    def forward(self, x):
        work = dist.all_reduce(x, op=dist.ReduceOp.SUM, async_op=True)
        work.wait()
        return x / dist.get_world_size()
'''
            ),
            line=17,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self._async_collective(node)
        if name is None:
            return
        self.report(node, name=self.source(node.func))
        found = read_after(self.context.ancestors, node)
        if found is None:
            return
        handle, read, parents = found
        if (len(parents) >= 2 and isinstance(parents[-1], cst.Attribute) and parents[-1].value is read
                and parents[-1].attr.value == "wait" and isinstance(parents[-2], cst.Call)
                and parents[-2].func is parents[-1]):
            self.report(
                parents[-2],
                f"`{handle}.wait()` on the handle of an `async_op=True` collective in compiled code: in "
                f"default mode Dynamo resumes after the collective's break with `{handle}` an opaque "
                "`Work` object and breaks the graph again at its `.wait()` (GB0156)",
            )

    def _async_collective(self, node: cst.Call) -> Optional[str]:
        qualified = self.qualified_name(node.func)
        if qualified is None:
            return None
        for prefix in ("torch.distributed.distributed_c10d.", "torch.distributed."):
            if qualified.startswith(prefix):
                short = qualified[len(prefix):]
                break
        else:
            return None
        position = REWRITTEN.get(short)
        if position is None and self.on_torch(">=2.14"):
            position = REWRITTEN_SINCE_2_14.get(short)
        if position is None:
            return None
        value = None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "async_op":
                value = arg.value
        positional = [a for a in node.args if a.keyword is None]
        if value is None and any(a.star for a in positional):
            return None
        if value is None and len(positional) > position:
            value = positional[position].value
        if isinstance(value, cst.Name) and value.value == "True":
            return short
        return None
