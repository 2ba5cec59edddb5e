"""gelu-near-equivalence: the literal reading of S08, every negative preactivation "clipped".

Each test asserts the literal statement for one negative float drawn by Hypothesis and lets it
search for a counterexample; nothing here constructs one. The catalog expects both to FAIL: GELU
(arXiv:1606.08415) is only near zero in its tail, which the certified thresholds quantify.
"""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from claims.activations import ACTIVATIONS

EPSILON = 0.01
# Every finite negative float64, from -5e-324 to -1.8e308.
NEGATIVE_FLOATS = st.floats(max_value=-math.ulp(0.0), allow_nan=False, allow_infinity=False)


def gelu_and_derivative(z: float) -> tuple[float, float]:
    """GELU(z) and GELU'(z) as torch float64 computes them (autograd for the derivative)."""
    value = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    output = ACTIVATIONS["gelu"].torch_fn(value)
    output.backward()
    return output.item(), value.grad.item()


@pytest.mark.claim("gelu-near-equivalence/literal-derivative-near-zero", kind="property")
@given(z=NEGATIVE_FLOATS)
def test_gelu_derivative_is_within_a_hundredth_of_zero_at_every_negative_input(z, measurements):
    _, derivative = gelu_and_derivative(z)
    assert abs(derivative) <= EPSILON, f"z = {z!r}: GELU'(z) = {derivative!r}, |.| > {EPSILON}"


@pytest.mark.claim("gelu-near-equivalence/literal-activation-clipped", kind="property")
@given(z=NEGATIVE_FLOATS)
def test_gelu_is_within_a_hundredth_of_zero_at_every_negative_input(z, measurements):
    value, _ = gelu_and_derivative(z)
    assert abs(value) <= EPSILON, f"z = {z!r}: GELU(z) = {value!r}, |.| > {EPSILON}"
