from compile_audit.rule import Rule, Valid


class UnpredictedGraphBreak(Rule):
    code = "CA902"
    name = "unpredicted-graph-break"
    severity = "error"
    scope = "module"
    dynamic_only = True
    message = "{reason}"
    what = (
        "Reported by the dynamic layer (`--confirm`, `verify`) only: Dynamo broke the graph at "
        "this line while compiling an audit target, and no static rule predicted it. The "
        "message gives Dynamo's graph-break type and GB code, the mode it broke in "
        "(`fullgraph=True`, the default, or both) and the library frame when the break happened "
        "inside torch or a third-party package called from this line."
    )
    why = (
        "The static rules guess from the source; Dynamo knows. A break no rule predicted is "
        "either a pattern the catalog does not cover yet or one hidden behind a call the static "
        "layer cannot follow (another file, a registry). It is a real break on the installed "
        "torch either way."
    )
    fix_safety = "No fix: read Dynamo's explanation and the rule catalog for the pattern."
    gb_codes = ()
    # The static layer never reports this code: its examples are source no static rule flags.
    VALID = [Valid("import torch\n"), Valid("x = 1\n")]
    INVALID = []
