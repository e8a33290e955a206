"""Small questions about libcst nodes that several passes of the value model ask.

This module imports no other module of the package.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst


def state_key(expr: cst.BaseExpression) -> Optional[str]:
    """``self.merged`` -> "self.merged": object state a test can tell about."""
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        return f"self.{expr.attr.value}"
    return None


def is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"
