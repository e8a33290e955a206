from compile_audit.fix import guard_statement
from compile_audit.rule import CallRule, Invalid, Valid

LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")


class LoggingCall(CallRule):
    code = "CA112"
    name = "logging-call"
    severity = "error"
    message = "`{name}()` in compiled code: Dynamo does not trace logging calls and breaks the graph (GB0291, GB4841)"
    what = (
        "Flags `logging` calls inside compiled code: the module-level helpers (`logging.info(...)`) "
        "and methods of loggers (`logger.warning(...)` on a name assigned `logging.getLogger(...)`), "
        "whatever the level and whether or not it is enabled."
    )
    why = (
        "Logging is a side effect with global state (handlers, levels, formatting). Dynamo "
        "refuses `logging.Logger` methods (GB0291) and fails on the root helpers inside the "
        "logging module (GB4841), breaking the graph even when the level is disabled."
    )
    fix_safety = (
        "Unsafe fix: the call is guarded with `if not torch.compiler.is_compiling():`; compiled runs "
        "stop logging it. Or list the function in `torch._dynamo.config.reorderable_logging_functions`."
    )
    gb_codes = ("GB0291", "GB4841")
    verdict = "torch 2.13: breaks in every mode, also for disabled levels."
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
    ]
    INVALID = [
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
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._loggers = None

    def loggers(self) -> set:
        """Module-level names assigned ``logging.getLogger(...)``."""
        if self._loggers is None:
            import libcst as cst

            self._loggers = set()
            for statement in self.context.module.body:
                if isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        if (
                            isinstance(small, cst.Assign)
                            and isinstance(small.value, cst.Call)
                            and self.qualified_name(small.value.func) == "logging.getLogger"
                        ):
                            for target in small.targets:
                                if isinstance(target.target, cst.Name):
                                    self._loggers.add(target.target.value)
        return self._loggers

    def visit_Call(self, node) -> None:
        import libcst as cst

        func = node.func
        qualified = self.qualified_name(func) or ""
        head, _, level = qualified.rpartition(".")
        if head == "logging" and level in LEVELS:
            self.report(node, name=self.source(func), qualified=qualified, fix=guard_statement(self.context, node))
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in LEVELS
            and isinstance(func.value, cst.Name)
            and func.value.value in self.loggers()
        ):
            self.report(node, name=self.source(func), qualified=qualified, fix=guard_statement(self.context, node))
