"""gelu-near-equivalence: the exact shape of GELU' and SiLU', then their roots certified with Arb.

Each symbolic test proves the closed forms from the registry's SymPy expression first and checks
torch's autograd against Arb second. Roots that have no closed form (z0, SiLU's z*) are bracketed
by certified sign changes (claims/instruments/certified.py); their uniqueness follows from the sign pattern
of f'' proved here. GELU: Hendrycks & Gimpel, arXiv:1606.08415; SiLU: Elfwing et al.,
arXiv:1702.03118.
"""

import pytest
import sympy
import torch
from flint import arb

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.certified import (
    CDF,
    PHI,
    SIGMOID,
    arb_derivative,
    arb_function,
    arb_value,
    derivative,
    derivative_shape,
    identical,
    to_float,
    z,
)

u = sympy.Symbol("u", positive=True)
REALS = sympy.S.Reals
# Points across both tails and the dip; the certified roots are added by each test.
CROSS_CHECK_POINTS = (-8.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.5, 4.0)
# s(1 - s)(2 - z tanh(z/2)), in exponentials so that SymPy can compare it with the registry's.
SILU_SECOND_DERIVATIVE = (SIGMOID * (1 - SIGMOID) * (2 - z * sympy.tanh(z / 2))).rewrite(sympy.exp)


def torch_derivative(activation: str, points: list[float]) -> list[float]:
    """f'(z) at each point as torch's float64 autograd computes it."""
    values = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    ACTIVATIONS[activation].torch_fn(values).sum().backward()
    return values.grad.tolist()


def check_torch_against_arb(activation: str, points: list[float], measurements) -> None:
    """The numeric cross-check: torch's derivative is within 1e-12 of the Arb enclosure's centre."""
    f1 = arb_derivative(activation, 1)
    for point, grad in zip(points, torch_derivative(activation, points), strict=True):
        certified = to_float(f1(arb(point)))
        measurements.maximum("max_torch_arb_gap", abs(grad - certified))
        assert abs(grad - certified) <= 1e-12, (
            f"torch {activation}'({point!r}) = {grad!r}, Arb gives {certified!r}"
        )


def check_one_zero_between_minimum_and_origin(activation: str, label: str, measurements) -> None:
    """f' < 0 at its minimum and f'(0) > 0: record the certified bracket of the zero between."""
    shape = derivative_shape(activation)
    assert shape.minimum < 0 and shape.at_zero > 0, (shape.minimum, shape.at_zero)
    zero = shape.zero
    assert shape.critical_point.upper <= zero.lower < zero.upper <= 0, zero
    measurements.record("z0", zero.midpoint)
    measurements.record("z0_bracket_width", zero.width)
    measurements.table(
        f"{label} sign change below zero (certified bracket)",
        ["quantity", "defined by", "lower", "upper"],
        [["z₀", sympy.sstr(derivative(activation, 1)) + " = 0", zero.lower, zero.upper]],
        digits=10,
    )
    check_torch_against_arb(activation, [zero.lower, zero.upper, *CROSS_CHECK_POINTS], measurements)


@pytest.mark.claim("gelu-near-equivalence/gelu-derivative-constants", kind="symbolic")
def test_gelu_derivatives_have_the_stated_closed_forms(measurements):
    f, f1, f2 = (derivative("gelu", order) for order in range(3))
    assert identical(f, z * CDF), f"GELU = {f}, not z Phi(z)"
    assert identical(f1, CDF + z * PHI), f"GELU' = {f1}, not Phi(z) + z phi(z)"
    assert identical(f2, PHI * (2 - z**2)), f"GELU'' = {f2}, not phi(z)(2 - z^2)"
    at_zero = f1.subs(z, 0)
    assert identical(at_zero, sympy.Rational(1, 2)), f"GELU'(0) = {at_zero}"
    measurements.record("derivative_at_zero", float(at_zero))
    check_torch_against_arb("gelu", list(CROSS_CHECK_POINTS), measurements)


@pytest.mark.claim("gelu-near-equivalence/gelu-derivative-constants", kind="symbolic")
def test_gelu_derivative_has_its_minimum_at_minus_root_two(measurements):
    f1, f2 = derivative("gelu", 1), derivative("gelu", 2)
    # GELU'' = phi(z)(2 - z^2) with phi > 0: the sign of GELU'' is the sign of 2 - z^2.
    assert identical(f2, PHI * (2 - z**2)) and PHI.is_positive, f"GELU'' = {f2}"
    critical = sympy.solveset(2 - z**2, z, REALS)
    falling = sympy.solveset(2 - z**2 < 0, z, REALS)
    root2 = sympy.sqrt(2)
    assert critical == sympy.FiniteSet(-root2, root2), f"GELU'' = 0 at {critical}"
    assert falling == sympy.Union(
        sympy.Interval.open(-sympy.oo, -root2), sympy.Interval.open(root2, sympy.oo)
    ), f"GELU'' < 0 on {falling}"
    # f' falls from 0 (at -inf) to f'(-sqrt 2), rises to f'(sqrt 2), then falls to 1 (at +inf):
    # every value is >= min(f'(-sqrt 2), 1), so f'(-sqrt 2) < 0 is the global minimum.
    limits = sympy.limit(f1, z, -sympy.oo), sympy.limit(f1, z, sympy.oo)
    assert limits == (0, 1), f"GELU' at -inf, +inf: {limits}"
    minimum = f1.subs(z, -root2)
    stated = (1 - sympy.erf(1)) / 2 - sympy.exp(-1) / sympy.sqrt(sympy.pi)
    assert identical(minimum, stated), f"GELU'(-sqrt 2) = {minimum}, not {stated}"
    assert arb_value(minimum) < 0, f"GELU'(-sqrt 2) = {arb_value(minimum)} is not negative"
    measurements.record("min_derivative", to_float(arb_value(minimum)))
    measurements.record("argmin", float(-root2))
    measurements.table(
        "GELU′ minimum (exact form from SymPy, decimal from Arb)",
        ["quantity", "exact", "decimal"],
        [
            ["argmin of GELU′", sympy.sstr(-root2), float(-root2)],
            ["min GELU′", sympy.sstr(sympy.simplify(minimum)), to_float(arb_value(minimum))],
            ["GELU′(0)", sympy.sstr(f1.subs(z, 0)), float(f1.subs(z, 0))],
        ],
        digits=10,
    )
    # The Arb root finder used for SiLU finds the same critical point here.
    shape = derivative_shape("gelu")
    assert shape.critical_point.ball().contains(arb_value(-root2)), shape.critical_point
    check_torch_against_arb("gelu", [float(-root2), *CROSS_CHECK_POINTS], measurements)


@pytest.mark.claim("gelu-near-equivalence/gelu-derivative-constants", kind="certified")
def test_gelu_derivative_changes_sign_exactly_once_below_zero(measurements):
    # On (-inf, -sqrt 2] GELU' falls from 0, so it is negative there; on [-sqrt 2, 0] it rises
    # strictly (GELU'' > 0 on (-sqrt 2, sqrt 2), previous test) from GELU'(-sqrt 2) < 0 to
    # GELU'(0) = 1/2: one zero, bracketed by a certified sign change.
    f2 = derivative("gelu", 2)
    assert identical(f2, PHI * (2 - z**2)) and PHI.is_positive, f"GELU'' = {f2}"
    rising = sympy.solveset(2 - z**2 > 0, z, REALS)
    assert rising == sympy.Interval.open(-sympy.sqrt(2), sympy.sqrt(2)), f"GELU'' > 0 on {rising}"
    check_one_zero_between_minimum_and_origin("gelu", "GELU′", measurements)


@pytest.mark.claim("gelu-near-equivalence/silu-derivative-constants", kind="symbolic")
def test_silu_derivatives_have_the_stated_closed_forms(measurements):
    f1, f2 = derivative("silu", 1), derivative("silu", 2)
    s = SIGMOID
    assert identical(f1, s * (1 + z * (1 - s))), f"SiLU' = {f1}"
    assert identical(f2, s * (1 - s) * (2 + z * (1 - 2 * s))), f"SiLU'' = {f2}"
    # 1 - 2 sigma(z) = -tanh(z/2): the critical-point equation z tanh(z/2) = 2.
    assert identical(1 - 2 * s, -sympy.tanh(z / 2).rewrite(sympy.exp))
    at_zero = f1.subs(z, 0)
    assert identical(at_zero, sympy.Rational(1, 2)), f"SiLU'(0) = {at_zero}"
    measurements.record("derivative_at_zero", float(at_zero))
    check_torch_against_arb("silu", list(CROSS_CHECK_POINTS), measurements)


@pytest.mark.claim("gelu-near-equivalence/silu-derivative-constants", kind="certified")
def test_silu_derivative_has_its_minimum_where_z_tanh_half_z_is_two(measurements):
    f1, f2 = derivative("silu", 1), derivative("silu", 2)
    s, w = SIGMOID, u * sympy.tanh(u / 2)
    # SiLU'' = s(1 - s)(2 - w(|z|)) with s(1 - s) > 0; w is even, w(0) = 0 and w increases on
    # u > 0, so SiLU'' vanishes exactly at +-z* with w(z*) = 2, is > 0 between and < 0 outside.
    assert identical(f2, SILU_SECOND_DERIVATIVE), f"SiLU'' = {f2}"
    assert sympy.simplify(s * (1 - s)).is_positive, "s(1 - s) > 0"
    slope = sympy.tanh(u / 2) + u / (2 * sympy.cosh(u / 2) ** 2)
    assert identical(sympy.diff(w, u), slope) and slope.is_positive, "w increases on u > 0"
    assert (z * sympy.tanh(z / 2)).subs(z, -u) == w and w.subs(u, 0) == 0
    shape = derivative_shape("silu")
    # The registry's critical point (a certified sign change of SiLU'') is also one of w(u) - 2.
    beyond, within = (
        arb_function(w - 2, u)(arb(-end))
        for end in (shape.critical_point.lower, shape.critical_point.upper)
    )
    assert beyond > 0 and within < 0, f"w - 2 across the critical bracket: {beyond}, {within}"
    limits = sympy.limit(f1, z, -sympy.oo), sympy.limit(f1, z, sympy.oo)
    assert limits == (0, 1), f"SiLU' at -inf, +inf: {limits}"
    minimum = shape.minimum
    assert minimum < 0, f"SiLU'(-z*) in {minimum}"
    z_star = -shape.critical_point.midpoint
    measurements.record("z_star", z_star)
    measurements.record("z_star_bracket_width", shape.critical_point.width)
    measurements.record("min_derivative", to_float(minimum))
    measurements.record("min_derivative_radius", float(minimum.rad()))
    measurements.table(
        "SiLU′ minimum (certified brackets)",
        ["quantity", "defined by", "lower", "upper"],
        [
            [
                "z*",
                "z·tanh(z/2) = 2, z > 0",
                -shape.critical_point.upper,
                -shape.critical_point.lower,
            ],
            [
                "min SiLU′ = SiLU′(−z*)",
                "Arb ball",
                to_float(minimum) - float(minimum.rad()),
                to_float(minimum) + float(minimum.rad()),
            ],
        ],
        digits=10,
    )
    check_torch_against_arb("silu", [-z_star, *CROSS_CHECK_POINTS], measurements)


@pytest.mark.claim("gelu-near-equivalence/silu-derivative-constants", kind="certified")
def test_silu_derivative_changes_sign_exactly_once_below_zero(measurements):
    # As for GELU: SiLU' < 0 on (-inf, -z*] (falls from 0) and rises strictly on [-z*, 0],
    # where SiLU'' = s(1 - s)(2 - z tanh(z/2)) > 0 (previous test).
    f2 = derivative("silu", 2)
    assert identical(f2, SILU_SECOND_DERIVATIVE), f"SiLU'' = {f2}"
    check_one_zero_between_minimum_and_origin("silu", "SiLU′", measurements)
