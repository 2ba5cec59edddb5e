"""SymPy helpers that only ever answer "proved": an undecided comparison is never a pass.

``Expr.equals`` returns None when SymPy cannot decide (SymPy docs, "Expr.equals"); callers
here treat None as a failure to prove, never as a match.
"""

from __future__ import annotations

import sympy


def proved_equal(left: sympy.Expr, right: sympy.Expr) -> bool:
    """True only if SymPy shows left - right simplifies to exactly 0."""
    difference = sympy.simplify(left - right)
    if difference == 0:
        return True
    return difference.equals(0) is True


def one_sided_derivatives(
    expression: sympy.Expr, variable: sympy.Symbol, point: sympy.Expr
) -> tuple[sympy.Expr, sympy.Expr]:
    """(left, right) limits of the difference quotient at ``point``."""
    step = sympy.Symbol("h", positive=True)
    quotient_right = (
        expression.subs(variable, point + step) - expression.subs(variable, point)
    ) / step
    quotient_left = (
        expression.subs(variable, point) - expression.subs(variable, point - step)
    ) / step
    return sympy.limit(quotient_left, step, 0, "+"), sympy.limit(quotient_right, step, 0, "+")
