"""gelu-near-equivalence: the literal reading of S08-S09 for GELU, every negative preactivation.

Two tests per proposition. A Hypothesis search asserts the statement for one negative float at a
time and lets Hypothesis look for a counterexample; nothing there constructs one. A certified test
evaluates the exact SymPy form at z = -1 with Arb ball arithmetic (claims/instruments/certified) and asserts
the statement there: |GELU(-1)| and |GELU'(-1)| are certified above ε, so a counterexample exists
whatever floating point does. The key's extremes are certified values too: GELU' is smallest at
-√2 (gelu-derivative-constants); GELU's smallest value is attained near z₀ = -0.7518, found on a
grid of [-6, 0].
GELU: Hendrycks & Gimpel, arXiv:1606.08415.
"""

import math

import pytest
import sympy
import torch
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from claims.catalog.gelu_near_equivalence import EPSILON
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.certified import arb_derivative, arb_value, to_float

# Every finite negative float64, from -5e-324 to -1.8e308.
NEGATIVE_FLOATS = st.floats(max_value=-math.ulp(0.0), allow_nan=False, allow_infinity=False)
# Where the attained minimum of GELU on z < 0 is looked for: [-6, 0] in steps of 1/1000.
MINIMUM_GRID = [-k / 1000 for k in range(1, 6001)]
# (1 - erf(1))/2 - e^-1/√π: GELU'(-√2), its minimum (gelu-derivative-constants proves it).
GELU_PRIME_MINIMUM = (1 - sympy.erf(1)) / 2 - sympy.exp(-1) / sympy.sqrt(sympy.pi)


def gelu_and_derivative(z: float) -> tuple[float, float]:
    """GELU(z) and GELU'(z) as torch float64 computes them (autograd for the derivative)."""
    value = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    output = ACTIVATIONS["gelu"].torch_fn(value)
    output.backward()
    return output.item(), value.grad.item()


def certified_counterexample(ball: arb, what: str) -> None:
    """Assert |ball| <= EPSILON, where only a certified |ball| > EPSILON counts as failing."""
    if abs(ball) > EPSILON:
        raise AssertionError(f"{what} = {ball} (Arb): |.| > {EPSILON}, certified")
    if not abs(ball) <= EPSILON:
        raise RuntimeError(f"{what} = {ball}: the ball straddles {EPSILON}; raise the precision")


@pytest.mark.claim("gelu-near-equivalence/literal-derivative-near-zero", kind="property")
@given(z=NEGATIVE_FLOATS)
def test_gelu_derivative_is_within_a_hundredth_of_zero_at_every_negative_input(z, measurements):
    _, derivative = gelu_and_derivative(z)
    assert abs(derivative) <= EPSILON, f"z = {z!r}: GELU'(z) = {derivative!r}, |.| > {EPSILON}"


@pytest.mark.claim("gelu-near-equivalence/literal-derivative-near-zero", kind="certified")
def test_gelu_derivative_at_minus_one_is_within_a_hundredth_of_zero(measurements):
    at_minus_one = arb_derivative("gelu", 1)(arb(-1))
    measurements.record("gelu_prime_at_minus_one", to_float(at_minus_one))
    measurements.record("gelu_prime_minimum", to_float(arb_value(GELU_PRIME_MINIMUM)))
    certified_counterexample(at_minus_one, "GELU'(-1)")


@pytest.mark.claim("gelu-near-equivalence/literal-activation-clipped", kind="property")
@given(z=NEGATIVE_FLOATS)
def test_gelu_is_within_a_hundredth_of_zero_at_every_negative_input(z, measurements):
    value, _ = gelu_and_derivative(z)
    assert abs(value) <= EPSILON, f"z = {z!r}: GELU(z) = {value!r}, |.| > {EPSILON}"


@pytest.mark.claim("gelu-near-equivalence/literal-activation-clipped", kind="certified")
def test_gelu_at_minus_one_is_within_a_hundredth_of_zero(measurements):
    gelu = arb_derivative("gelu", 0)
    at_minus_one = gelu(arb(-1))
    measurements.record("gelu_at_minus_one", to_float(at_minus_one))
    # The most negative value attained on a grid of [-6, 0] (GELU's is at z0 = -0.7518, where
    # GELU' = 0): a value the function takes, certified to the last digit shown.
    measurements.record("gelu_minimum", min(to_float(gelu(arb(z))) for z in MINIMUM_GRID))
    certified_counterexample(at_minus_one, "GELU(-1)")
