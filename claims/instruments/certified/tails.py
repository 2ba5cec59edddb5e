"""Certified tail thresholds of |f′| and sign-change brackets (Note [Certified bounds])."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import sympy
from flint import arb

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.certified.arb import (
    THRESHOLD_WIDTH,
    Fn,
    NotCertified,
    _at_precision,
    _certify,
    _p,
    arb_function,
    arb_value,
    identical,
    to_float,
    u,
    upper_float,
    z,
)

# Standard normal density and CDF, and the tanh-GELU argument g (arXiv:1606.08415, section 2).
PHI = sympy.exp(-(z**2) / 2) / sympy.sqrt(2 * sympy.pi)
CDF = (1 + sympy.erf(z / sympy.sqrt(2))) / 2
SIGMOID = 1 / (1 + sympy.exp(-z))
K, A = sympy.sqrt(2 / sympy.pi), sympy.Rational(44715, 1000000)
G = K * (z + A * z**3)


def polynomial_negative_from(poly: sympy.Expr, variable: sympy.Symbol, start: sympy.Expr) -> bool:
    """poly(start + p) = sum c_i p^i with c_0 < 0 and c_i <= 0 (Arb): poly < 0 on [start, inf)."""
    *rest, constant = sympy.Poly(sympy.expand(poly.subs(variable, start + _p)), _p).all_coeffs()
    return arb_value(constant) < 0 and all(arb_value(c) <= 0 for c in rest)


@dataclass(frozen=True)
class TailProof:
    activation: str
    # f'' < 0 on (-inf, -start] and f' -> 0 at -inf were proved (see Note [Certified bounds]).
    start: sympy.Expr
    steps: tuple[str, ...]


# A proof is a list of (step, what it shows); each step runs only after the ones before it held,
# so a planted wrong form stops at the first false identity instead of simplifying the rest.
Steps = list[tuple[Callable[[], object], str]]


def _gelu_tail(f: sympy.Expr) -> tuple[sympy.Expr, Steps]:
    c, f2 = sympy.sqrt(2), sympy.diff(f, z, 2)
    return c, [
        (lambda: identical(f2, PHI * (2 - z**2)), "GELU'' = phi(z)(2 - z^2)"),
        (lambda: PHI.is_positive, "phi(z) > 0"),
        (lambda: (2 - z**2).subs(z, -c - _p).expand().is_negative, "2 - z^2 < 0 on z < -c"),
    ]


def _silu_tail(f: sympy.Expr) -> tuple[sympy.Expr, Steps]:
    c, f2, weight = sympy.Rational(5, 2), sympy.diff(f, z, 2), SIGMOID * (1 - SIGMOID)
    form = weight * (2 - z * sympy.tanh(z / 2))
    w = u * sympy.tanh(u / 2)
    slope = sympy.tanh(u / 2) + u / (2 * sympy.cosh(u / 2) ** 2)
    return c, [
        (lambda: identical(f2, form.rewrite(sympy.exp)), "SiLU'' = s(1 - s)(2 - z tanh(z/2))"),
        (lambda: sympy.simplify(weight).is_positive, "s(1 - s) > 0"),
        (lambda: (z * sympy.tanh(z / 2)).subs(z, -u) == w, "z tanh(z/2) = w(-z), w = u tanh(u/2)"),
        (lambda: slope.is_positive and identical(sympy.diff(w, u), slope), "w increases on u > 0"),
        (lambda: arb_value(w.subs(u, c) - 2) > 0, "w(c) > 2 at c = 5/2 (Arb)"),
    ]


def _gelu_tanh_tail(f: sympy.Expr) -> tuple[sympy.Expr, Steps]:
    c, f2 = sympy.Rational(3, 2), sympy.diff(f, z, 2)
    g1, g2 = sympy.diff(G, z), sympy.diff(G, z, 2)
    b = g1 - z * sympy.tanh(G) * g1**2 + z * g2 / 2
    gu = G.subs(z, u)
    b_at_minus_u = K * (1 + 6 * A * u**2) - K**2 * u * (1 + 3 * A * u**2) ** 2 * sympy.tanh(gu)
    # tanh(g(u)) >= tanh(g(c)) on u >= c, so B(-u) <= K Q(u):
    q = 1 + 6 * A * u**2 - K * sympy.tanh(gu.subs(u, c)) * u * (1 + 3 * A * u**2) ** 2
    return c, [
        (lambda: identical(f, z / 2 * (1 + sympy.tanh(G))), "tanh-GELU = z/2 (1 + tanh(g))"),
        (lambda: identical(f2, b / sympy.cosh(G) ** 2), "tanh-GELU'' = sech^2(g) B(z)"),
        (lambda: identical(b.subs(z, -u), b_at_minus_u), "B(-u) = K(1 + 6au^2) - K^2 u(..)^2 tanh"),
        (lambda: sympy.diff(gu, u).is_positive, "g increases"),
        (lambda: polynomial_negative_from(q, u, c), "Q < 0 on [c, inf) (coefficients, Arb)"),
    ]


_TAIL_PROOFS = {"gelu": _gelu_tail, "silu": _silu_tail, "gelu-tanh": _gelu_tanh_tail}


@functools.cache
def _tail_proof(activation: str, f: sympy.Expr) -> TailProof:
    if activation not in _TAIL_PROOFS:
        raise NotCertified(f"no tail proof for activation {activation!r}")
    c, steps = _TAIL_PROOFS[activation](f)
    f1 = sympy.diff(f, z)
    steps.append((lambda: sympy.limit(f1, z, -sympy.oo) == 0, "f'(z) -> 0 as z -> -inf"))
    for step, shows in steps:
        _certify(step(), f"{activation}: {shows}")
    return TailProof(activation, c, tuple(shows for _, shows in steps))


def tail_proof(activation: str) -> TailProof:
    """Prove f'' < 0 on (-inf, -c] and f' -> 0 at -inf, or raise NotCertified."""
    return _tail_proof(activation, ACTIVATIONS[activation].sympy_fn(z))


@dataclass(frozen=True)
class Threshold:
    activation: str
    epsilon: float
    # |f'(-lower)| > epsilon is certified, so no t <= lower makes |f'| <= epsilon on z <= -t.
    lower: float
    # |f'(z)| <= epsilon for every z <= -upper is certified.
    upper: float
    # Arb upper bound of |f'(-upper)|.
    bound_at_upper: float
    # c of the tail proof: f' is negative and decreasing on (-inf, -c].
    tail_start: float


def _at_most(value: arb, eps: arb) -> bool | None:
    """|value| <= eps for the whole ball (True), for none of it (False), or undecided (None)."""
    if value.abs_upper() <= eps:
        return True
    return False if value.abs_lower() > eps else None


def _sup_at_most(f1: Fn, c: arb, eps: arb, t: arb) -> bool | None:
    """sup_{z <= -t} |f'(z)| <= eps: True / False (certified either way) / None (undecided)."""
    if t >= c:  # inside the monotone tail the sup is |f'(-t)|
        return _at_most(f1(-t), eps)
    # On (-inf, -c] f' runs from 0 down to f'(-c), so the ray contributes |f'(-c)|; [-c, -t] is
    # covered by balls, halved until each is decided.
    ray = _at_most(f1(-c), eps)
    if ray is not True:
        return ray
    pieces = [(-c, -t)]
    while pieces:
        a, b = pieces.pop()
        if _at_most(f1(a.union(b)), eps):
            continue
        if _at_most(f1(a), eps) is False or _at_most(f1(b), eps) is False:
            return False
        if (b - a) < 1e-15:
            return None
        middle = (a + b) / 2
        pieces += [(a, middle), (middle, b)]
    return True


@functools.cache
@_at_precision
def _tail_threshold(activation: str, f: sympy.Expr, epsilon: float) -> Threshold:
    proof = tail_proof(activation)
    f1, c = arb_function(sympy.diff(f, z)), arb_value(proof.start)
    eps = arb_value(sympy.Rational(str(epsilon)))  # the decimal epsilon, not its binary float

    def check(t: float) -> bool:
        verdict = _sup_at_most(f1, c, eps, arb(t))
        _certify(verdict is not None, f"{activation}: sup |f'| vs {epsilon} at t = {t!r}")
        return verdict

    lower, upper = 0.0, 1.0
    _certify(check(lower) is False, f"{activation}: |f'| > {epsilon} somewhere on z <= 0")
    while not check(upper):
        lower, upper = upper, 2 * upper
        _certify(upper <= 1024, f"{activation}: a threshold for {epsilon} below 1024")
    while upper - lower > THRESHOLD_WIDTH / 2:
        middle = (lower + upper) / 2
        lower, upper = (lower, middle) if check(middle) else (middle, upper)
    _certify(f1(arb(-lower)).abs_lower() > eps, f"{activation}: |f'(-lower)| > {epsilon}")
    bound = upper_float(f1(arb(-upper)).abs_upper())
    return Threshold(activation, epsilon, lower, upper, bound, to_float(c))


def tail_threshold(activation: str, epsilon: float) -> Threshold:
    """Certified [lower, upper] (width <= 1e-6) around the smallest t with |f'| <= eps on z <= -t."""
    return _tail_threshold(activation, ACTIVATIONS[activation].sympy_fn(z), epsilon)


@dataclass(frozen=True)
class Bracket:
    """A certified sign change of a continuous function between lower and upper."""

    lower: float
    upper: float

    @property
    def midpoint(self) -> float:
        return (self.lower + self.upper) / 2

    @property
    def width(self) -> float:
        return self.upper - self.lower

    def ball(self) -> arb:
        return arb(self.lower).union(arb(self.upper))


@_at_precision
def sign_change(fn: Fn, lower: float, upper: float, width: float = 1e-13) -> Bracket:
    """Bisect a certified sign change of fn on [lower, upper] down to ``width``."""

    def sign(at: float) -> int:
        value = fn(arb(at))
        return 1 if value > 0 else -1 if value < 0 else 0

    start = sign(lower)
    _certify(start * sign(upper) == -1, f"a certified sign change on [{lower}, {upper}]")
    while upper - lower > width:
        middle = (lower + upper) / 2
        if not lower < middle < upper:  # adjacent floats: as narrow as a float bracket gets
            break
        here = sign(middle)
        _certify(here != 0, f"the sign at {middle!r}")
        lower, upper = (middle, upper) if here == start else (lower, middle)
    return Bracket(lower, upper)
