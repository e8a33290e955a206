import libcst as cst

from compile_audit.lint.edits import guard_statement
from compile_audit.lint.rule import CallRule, Invalid, Valid
from compile_audit.analysis.walk import descendants

LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")
#: logger methods that only ask about the configuration (refused all the same, GB0291)
QUERIES = ("isEnabledFor", "getEffectiveLevel", "hasHandlers")


class LoggingCall(CallRule):
    code = "CA112"
    reports_on_input = True
    name = "logging-call"
    severity = "error"
    message = "`{name}()` in compiled code: Dynamo does not trace logging calls and breaks the graph (GB0291, GB4841)"
    what = (
        "Flags `logging` calls inside compiled code: the module-level helpers (`logging.info(...)`) "
        "and methods of loggers (`logger.warning(...)`, `logger.warning_once(...)`: any method, on a "
        "name assigned `logging.getLogger(...)` or a project's wrapper of it, such as transformers' "
        "`logging.get_logger(__name__)`, annotated `-> logging.Logger`), "
        "whatever the level and whether or not it is enabled, and the level queries of loggers "
        "(`logger.isEnabledFor(...)`, `getEffectiveLevel()`, `hasHandlers()`). The logging calls "
        "in the body of `if logger.isEnabledFor(...):` are not flagged again: the graph breaks at "
        "the test. A call in a branch that only unusual input takes is not flagged either: a branch "
        "the default call (optional arguments at their defaults, no `**kwargs`) does not take "
        "(`if scale is not None:`), or one taken only for inputs of some shape, rank, device or type "
        "(`if ids.ndim == 3:`); it reports on the caller's input, not on the compiled default path. "
        "A branch the default call takes is flagged (`if attention_mask is None:`)."
    )
    why = (
        "Logging is a side effect with global state (handlers, levels, formatting). Dynamo "
        "refuses `logging.Logger` methods (GB0291), also the ones that only read the level, and "
        "fails on the root helpers inside the logging module (GB4841), breaking the graph even "
        "when the level is disabled."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix: the call is guarded with `if not torch.compiler.is_compiling():`; compiled runs "
        "stop logging it. Or list the function in `torch._dynamo.config.reorderable_logging_functions`."
    )
    gb_codes = ("GB0291", "GB4841")
    verdict = (
        "torch 2.13 and 2.14.1: breaks in every mode, also for disabled levels: `Logger` methods "
        "(`debug`/`info`/`warning`..., `isEnabledFor`, `getEffectiveLevel`, `hasHandlers`) GB0291, "
        "`logging.info(...)` and the other root helpers GB4841."
    )
    VALID = [
        Valid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)

            class Net(torch.nn.Module):
                def forward(self, x):
                    if not torch.compiler.is_compiling():
                        logger.info("eager forward")
                    return x + 1
            """,
            target="Net(), (torch.ones(2),)",
        ),
        Valid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)

            @torch.compile
            def step(x):
                return x * 2

            def train(x):
                y = step(x)
                logger.info("step done")
                return y
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import logging

            import torch
            from torch import nn

            logger = logging.getLogger(__name__)


            class Router(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.gate = nn.Linear(8, 4)
                    self.verbose = logger.isEnabledFor(logging.DEBUG)  # asked once, eagerly

                def forward(self, x):
                    probs = torch.softmax(self.gate(x), dim=-1)
                    if not torch.compiler.is_compiling() and logger.isEnabledFor(logging.DEBUG):
                        logger.debug("router entropy %s", -(probs * probs.log()).sum(-1).mean())
                    return probs.topk(2, dim=-1).indices
            """,
            target="Router(), (torch.randn(3, 8),)",
        ),
        Valid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)


            class Block(torch.nn.Module):
                def forward(self, x, ids, cross_attention_kwargs=None, **kwargs):
                    if cross_attention_kwargs is not None and cross_attention_kwargs.get("scale") is not None:
                        logger.warning("Passing `scale` is deprecated: it is ignored")
                    if ids.ndim == 3:  # only an old-style input takes this branch
                        logger.warning("Passing 3-d `ids` is deprecated")
                        ids = ids[0]
                    unused = [k for k in kwargs if k != "mask"]
                    if len(unused) > 0:
                        logger.warning(f"{unused} are not expected and are ignored")
                    return x + ids.sum()
            """,
            target="Block(), (torch.ones(2), torch.ones(4, 3))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import functools
            import logging

            import torch


            def get_logger(name: str) -> logging.Logger:
                return logging.getLogger(name)


            @functools.lru_cache(None)
            def warning_once(self, *args):
                self.warning(*args)


            logging.Logger.warning_once = warning_once
            logger = get_logger(__name__)


            class Net(torch.nn.Module):
                def forward(self, x):
                    logger.warning_once("x is ignored")
                    return x + 1
            """,
            line=22,
            target="Net(), (torch.ones(2),)",
        ),
        Invalid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)

            class Net(torch.nn.Module):
                def forward(self, x):
                    logger.warning("forward called")
                    return x + 1
            """,
            line=9,
            target="Net(), (torch.ones(2),)",
            fixed="""
            import logging

            import torch

            logger = logging.getLogger(__name__)

            class Net(torch.nn.Module):
                def forward(self, x):
                    if not torch.compiler.is_compiling():
                        logger.warning("forward called")
                    return x + 1
            """,
        ),
        Invalid(
            """
            import logging

            import torch

            @torch.compile
            def step(x):
                logging.info("step")
                return x * 2
            """,
            line=7,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            import logging

            import torch
            from torch import nn

            logger = logging.getLogger(__name__)


            class Router(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.gate = nn.Linear(8, 4)

                def forward(self, x):
                    probs = torch.softmax(self.gate(x), dim=-1)
                    if logger.isEnabledFor(logging.DEBUG):
                        logger.debug("router entropy %s", -(probs * probs.log()).sum(-1).mean())
                    return probs.topk(2, dim=-1).indices
            """,
            line=16,
            target="Router(), (torch.randn(3, 8),)",
        ),
        Invalid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)


            @torch.compile
            def step(x):
                if logger.getEffectiveLevel() <= logging.DEBUG:
                    x = x * 2
                return x + 1
            """,
            line=10,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            import logging

            import torch

            logger = logging.getLogger(__name__)


            class Net(torch.nn.Module):
                def forward(self, x, attention_mask=None):
                    if attention_mask is None:  # the default call takes this branch
                        logger.warning("`attention_mask` was not passed")
                    return x + 1
            """,
            line=11,
            target="Net(), (torch.ones(2),)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._loggers = None

    def loggers(self) -> set:
        """Module-level names assigned ``logging.getLogger(...)``."""
        if self._loggers is None:
            self._loggers = set()
            for statement in self.context.module.body:
                if isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) \
                                and self._makes_logger(small.value):
                            for target in small.targets:
                                if isinstance(target.target, cst.Name):
                                    self._loggers.add(target.target.value)
        return self._loggers

    def _makes_logger(self, call: cst.Call) -> bool:
        """``logging.getLogger(...)``, or a wrapper that returns one: a project function annotated
        ``-> logging.Logger`` (transformers' and diffusers' ``logging.get_logger``), or one of
        another package named ``get_logger``."""
        qualified = self.qualified_name(call.func) or ""
        if qualified == "logging.getLogger":
            return True
        project = self.context.scope.project
        promised = project.returns.get(project.resolve(qualified)) if project is not None and qualified else None
        if promised is not None:
            return promised == ["logger"]
        short = call.func.attr.value if isinstance(call.func, cst.Attribute) else \
            call.func.value if isinstance(call.func, cst.Name) else ""
        return short == "get_logger"  # another package's wrapper: nothing says otherwise

    def _is_query(self, node) -> bool:
        """``logger.isEnabledFor(...)`` (or another level query) on a known logger."""
        if not isinstance(node, cst.Call):
            return False
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in QUERIES
            and isinstance(func.value, cst.Name)
            and func.value.value in self.loggers()
        )

    def _under_query(self) -> bool:
        """Inside the body of ``if logger.isEnabledFor(...):``, whose test breaks first."""
        ancestors = self.context.ancestors
        for index in range(len(ancestors) - 2, -1, -1):
            node = ancestors[index]
            if isinstance(node, cst.FunctionDef):
                return False
            if isinstance(node, cst.If) and ancestors[index + 1] is node.body:
                if any(self._is_query(n) for n in descendants(node.test)):
                    return True
        return False

    def visit_Call(self, node) -> None:
        func = node.func
        if self._is_query(node):
            self.report(
                node,
                f"`{self.source(func)}()` in compiled code: Dynamo does not trace `logging.Logger` methods, "
                f"also the level queries, and breaks the graph (GB0291)",
            )
            return
        qualified = self.qualified_name(func) or ""
        head, _, level = qualified.rpartition(".")
        # any method of a known logger: the levels, and what projects add to `Logger`
        # (transformers' `warning_once`, an `lru_cache`-wrapped function): all GB0291
        logs = (head == "logging" and level in LEVELS) or (
            isinstance(func, cst.Attribute)
            and not func.attr.value.startswith("_")
            and isinstance(func.value, cst.Name)
            and func.value.value in self.loggers()
        )
        if logs and not self._under_query():
            self.report(node, name=self.source(func), qualified=qualified, fix=guard_statement(self.context, node))
