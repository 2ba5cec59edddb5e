"""Arb evaluators built from the SymPy registry, and the NotCertified failure (Note [Certified bounds])."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import sympy
from flint import arb, ctx
from sympy.printing.lambdarepr import LambdaPrinter

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.symbolic import proved_equal

# Bits of Arb working precision: far more than the 1e-6 widths asked for need, so balls stay tight
# even where 1 + erf(z) cancels.
PRECISION = 200
THRESHOLD_WIDTH = 1e-6
z = sympy.Symbol("z", real=True)
u = sympy.Symbol("u", positive=True)
_p = sympy.Symbol("p", positive=True)
Fn = Callable[[arb], arb]


class NotCertified(AssertionError):
    """A certificate step was false or undecided: what it would bound is not proved."""


def _certify(condition: object, step: str) -> None:
    if condition is not True:
        raise NotCertified(f"not certified: {step}")


class _ArbPrinter(LambdaPrinter):
    # The default printer writes Rational(1, 2) as the float 1/2 and pi as math.pi; Arb needs
    # exact rationals and its own pi.
    def _print_Rational(self, expr: sympy.Rational) -> str:
        return f"_rational({expr.p}, {expr.q})"

    def _print_Pi(self, expr: sympy.Expr) -> str:
        return "_pi()"

    def _print_Exp1(self, expr: sympy.Expr) -> str:
        return "exp(1)"


def _ball(x: object) -> arb:
    return x if isinstance(x, arb) else arb(x)


def _heaviside(x: object, at_zero: object = sympy.Rational(1, 2)) -> arb:
    """H(x) on a ball: 0 wholly below 0, 1 wholly above, the hull [0, 1] where the ball meets 0."""
    ball = _ball(x)
    if ball < 0:
        return arb(0)
    if ball > 0:
        return arb(1)
    return arb(0).union(arb(1))


_ARB = {
    # Piecewise forms (a planted ReLU, say): each returns a ball enclosing the range.
    "Max": lambda *xs: functools.reduce(lambda a, b: _ball(a).max(_ball(b)), xs),
    "Min": lambda *xs: functools.reduce(lambda a, b: _ball(a).min(_ball(b)), xs),
    "Heaviside": _heaviside,
    "erf": lambda x: _ball(x).erf(),
    "erfc": lambda x: _ball(x).erfc(),
    "exp": lambda x: _ball(x).exp(),
    "tanh": lambda x: _ball(x).tanh(),
    "cosh": lambda x: _ball(x).cosh(),
    "sqrt": lambda x: _ball(x).sqrt(),
    "_pi": arb.pi,
    "_rational": lambda p, q: arb(p) / q,
}


def _at_precision(function: Callable) -> Callable:
    # flint's precision is process-global; set it for each call and restore it afterwards.
    @functools.wraps(function)
    def wrapped(*args: object, **kwargs: object) -> object:
        with ctx.workprec(PRECISION):
            return function(*args, **kwargs)

    return wrapped


@functools.cache
def arb_function(expr: sympy.Expr, variable: sympy.Symbol = z) -> Fn:
    """Arb evaluator of a SymPy expression: on a ball it returns an enclosure of the range."""
    settings = {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True}
    printer = _ArbPrinter({**settings, "user_functions": {name: name for name in _ARB}})
    return _at_precision(sympy.lambdify(variable, expr, modules=[_ARB], printer=printer))


@_at_precision
def arb_value(expr: sympy.Expr) -> arb:
    return arb_function(sympy.sympify(expr), _p)(arb(0))


@functools.cache
def _derivatives(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    return expr, sympy.diff(expr, z), sympy.diff(expr, z, 2)


def derivative(activation: str, order: int) -> sympy.Expr:
    """The order-th derivative (0, 1 or 2) of the registry's SymPy form, looked up now."""
    return _derivatives(ACTIVATIONS[activation].sympy_fn(z))[order]


def arb_derivative(activation: str, order: int) -> Fn:
    return arb_function(derivative(activation, order))


def to_float(ball: arb) -> float:
    return float(ball.mid())


def lower_float(ball: arb) -> float:
    """A float <= every point of the ball."""
    return math.nextafter(float(ball.lower()), -math.inf)


def upper_float(ball: arb) -> float:
    """A float >= every point of the ball (one ulp of slack over Arb's exact upper end)."""
    return math.nextafter(float(ball.upper()), math.inf)


# Sample points for refuting an identity fast; the positive ones also serve positive symbols.
_SAMPLES = tuple(sympy.Rational(n, d) for n, d in ((2, 3), (17, 5), (-13, 7), (-1, 3)))


def identical(left: sympy.Expr, right: sympy.Expr) -> bool:
    """left = right identically, proved by ``proved_equal``; refuted first, and fast, when Arb
    certifies left - right != 0 at a sample point (SymPy's simplify can run for minutes on a
    false identity between erf and tanh forms)."""
    difference = left - right
    if len(difference.free_symbols) == 1:
        (symbol,) = difference.free_symbols
        for point in (p for p in _SAMPLES if p > 0 or not symbol.is_positive):
            try:
                value = arb_value(difference.subs(symbol, point))
            except Exception:  # a form Arb cannot evaluate: no refutation, prove it instead
                break
            if value > 0 or value < 0:
                return False
    return proved_equal(left, right)
