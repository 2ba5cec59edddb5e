"""Derivative shapes and the certified tanh-GELU deviation from GELU (Note [Certified bounds])."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from flint import arb

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.certified.arb import (
    _at_precision,
    _certify,
    arb_derivative,
    arb_function,
    arb_value,
    derivative,
    identical,
    lower_float,
    u,
    upper_float,
    z,
)
from claims.instruments.certified.tails import (
    CDF,
    PHI,
    Bracket,
    G,
    polynomial_negative_from,
    sign_change,
)


@dataclass(frozen=True)
class DerivativeShape:
    activation: str
    # f''(z_c) = 0 for a z_c in this bracket on z < 0: the critical point of f'.
    critical_point: Bracket
    # Arb enclosure of f' on the critical bracket: it contains f'(z_c).
    minimum: arb
    # f'(z_0) = 0 for a z_0 in this bracket, between the critical point and 0.
    zero: Bracket
    # Arb enclosure of f'(0).
    at_zero: arb


@_at_precision
def derivative_shape(
    activation: str, search: tuple[float, float] = (-4.0, -1.0)
) -> DerivativeShape:
    """Certified critical point of f' (a sign change of f'' in ``search``) and zero of f'."""
    f1, f2 = arb_derivative(activation, 1), arb_derivative(activation, 2)
    critical = sign_change(f2, *search)
    return DerivativeShape(
        activation,
        critical,
        f1(critical.ball()),
        sign_change(f1, critical.upper, 0.0),
        f1(arb(0)),
    )


# Beyond |z| = TAIL the deviation is bounded analytically (Note [Certified bounds]).
TAIL = 10


@dataclass(frozen=True)
class Deviation:
    """max_z |d^k/dz^k (GELU_tanh - GELU)(z)| over all real z, enclosed."""

    order: int
    # Certified: |deviation(z)| <= upper for every real z.
    upper: float
    # Attained: |deviation(at)| >= lower (Arb lower bound at the point ``at``).
    lower: float
    at: float
    # Certified bound for |z| >= TAIL.
    tail_bound: float


def _tail_bound(order: int) -> arb:
    """phi(u) R0(u) + e^{-2 s(u)} R1(u) at u = TAIL, after proving both terms decrease on the ray."""
    s, phi = G.subs(z, u), PHI.subs(z, u)
    r0, r1 = (1, u) if order == 0 else (u + 1 / u, 1 + 2 * u * sympy.diff(s, u))
    total = arb(0)
    # d/du [phi R] = phi (R' - u R) and d/du [e^{-2s} R] = e^{-2s} (R' - 2 s' R).
    for weight, rest, rate in ((phi, r0, -u), (sympy.exp(-2 * s), r1, -2 * sympy.diff(s, u))):
        numerator, denominator = sympy.fraction(sympy.together(sympy.diff(rest, u) + rate * rest))
        decreasing = denominator.is_positive and polynomial_negative_from(numerator, u, TAIL)
        _certify(decreasing, f"tail term {weight * rest} decreases on [{TAIL}, inf)")
        total += arb_value((weight * rest).subs(u, TAIL))
    return total


def _forms_proved() -> None:
    gelu, tanh = ACTIVATIONS["gelu"].sympy_fn(z), ACTIVATIONS["gelu-tanh"].sympy_fn(z)
    _certify(identical(gelu, z * CDF), "GELU = z Phi(z), the form the tail bound assumes")
    _certify(identical(tanh, z / 2 * (1 + sympy.tanh(G))), "tanh-GELU = z/2 (1 + tanh(g))")


@_at_precision
def tanh_gelu_deviation(order: int, pieces: int = 400, tolerance: float = 1e-4) -> Deviation:
    """Enclose max |GELU_tanh^(order) - GELU^(order)| over R to a relative ``tolerance``."""
    _forms_proved()
    gap = [derivative("gelu-tanh", k) - derivative("gelu", k) for k in (order, order + 1)]
    value, slope = arb_function(gap[0]), arb_function(gap[1])
    step = 2 * TAIL / pieces
    stack = [(-TAIL + i * step, -TAIL + (i + 1) * step) for i in range(pieces)]
    middles = [lower_float(value(arb((a + b) / 2)).abs_lower()) for a, b in stack]
    best = max(range(pieces), key=middles.__getitem__)
    lower, at, upper = middles[best], (stack[best][0] + stack[best][1]) / 2, 0.0
    while stack:
        a, b = stack.pop()
        middle, radius = (a + b) / 2, (b - a) / 2
        centre = value(arb(middle))
        if centre.abs_lower() > lower:
            lower, at = lower_float(centre.abs_lower()), middle
        # Mean value form: g(x) in g(m) + g'(ball) [-r, r] for x in [m - r, m + r].
        bound = upper_float((centre + slope(arb(a).union(arb(b))) * arb(0, radius)).abs_upper())
        if bound <= lower * (1 + tolerance):
            upper = max(upper, bound)
        else:
            _certify(b - a > 1e-9, f"deviation enclosure on [{a}, {b}] converges")
            stack += [(a, middle), (middle, b)]
    tail = upper_float(_tail_bound(order))
    return Deviation(order, max(upper, tail), lower, at, tail)
