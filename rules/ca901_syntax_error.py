from compile_audit.lint.rule import Invalid, Rule, Valid


class SyntaxErrorRule(Rule):
    code = "CA901"
    own = True
    name = "syntax-error"
    severity = "error"
    scope = "module"
    proof = None
    message = "{reason}"
    what = (
        "Reports a file that cannot be read as Python: a syntax error, an undecodable byte, a "
        "NUL byte. The finding carries the parser's message and position; the scan goes on "
        "with the other files."
    )
    why = (
        "A file the linter cannot parse is a file nothing was checked in. It is reported as a "
        "finding, not as a crash, so that a CI gate fails visibly instead of passing silently."
    )
    fix_safety = "No fix: the file must be repaired by hand."
    VALID = [
        Valid(
            """
            import torch

            def f(x):
                return x + 1
            """
        ),
        Valid(""),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            def f(x)
                return x + 1
            """,
            line=3,
        ),
        Invalid(
            """
            x = (1,
            """,
            line=1,
        ),
    ]
