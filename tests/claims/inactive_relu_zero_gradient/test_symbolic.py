"""inactive-relu-zero-gradient: the scalar facts, proved with SymPy, then checked against torch."""

import pytest
import sympy
import torch

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.symbolic import one_sided_derivatives, proved_equal

z = sympy.Symbol("z", real=True)
p = sympy.Symbol("p", positive=True)

# Negative preactivations from the smallest subnormal to the largest finite magnitudes.
NEGATIVE_FLOAT64 = torch.tensor([-5e-324, -1e-300, -1e-8, -0.5, -1.0, -3.0, -1e8, -1e300])
SIGNED_ZEROS = (0.0, -0.0)
DTYPES = (torch.float64, torch.float32, torch.bfloat16, torch.float16)


def torch_derivative(values: torch.Tensor) -> torch.Tensor:
    """Elementwise f'(z) as torch's autograd computes it."""
    values = values.clone().requires_grad_(True)
    ACTIVATIONS["relu"].torch_fn(values).sum().backward()
    return values.grad


@pytest.mark.claim("inactive-relu-zero-gradient/relu-derivative-negative", kind="symbolic")
def test_relu_and_its_derivative_are_zero_for_every_negative_preactivation(measurements):
    relu = ACTIVATIONS["relu"].sympy_fn(z)
    # Exact first: substitute z = -p with p > 0 symbolic, so the statement covers every z < 0.
    value = relu.subs(z, -p)
    assert proved_equal(value, sympy.Integer(0)), f"relu at z = -p is {value}"
    at_negative = sympy.diff(relu, z).subs(z, -p)
    assert proved_equal(at_negative, sympy.Integer(0)), f"d/dz relu at z = -p is {at_negative}"
    # Numeric cross-check: torch's autograd agrees at negative floats across the whole range.
    grads = torch_derivative(NEGATIVE_FLOAT64.to(torch.float64))
    measurements.record("max_abs_torch_grad_at_negative", grads.abs().max())
    measurements.record("negative_points_checked", len(NEGATIVE_FLOAT64), "count")
    assert torch.equal(grads, torch.zeros_like(grads)), (
        f"torch relu' at {NEGATIVE_FLOAT64} = {grads}"
    )


@pytest.mark.claim("inactive-relu-zero-gradient/convention-at-zero", kind="symbolic")
def test_torch_takes_zero_as_the_relu_derivative_at_zero(measurements):
    left, right = one_sided_derivatives(ACTIVATIONS["relu"].sympy_fn(z), z, sympy.Integer(0))
    measurements.record("left_derivative_at_zero", float(left))
    measurements.record("right_derivative_at_zero", float(right))
    # SymPy's own choice differs from torch's: d/dz Max(0, z) = Heaviside(z), Heaviside(0) = 1/2.
    measurements.record("sympy_heaviside_at_zero", float(sympy.Heaviside(0)))
    assert (left, right) == (0, 1), f"one-sided derivatives of relu at 0: {left}, {right}"
    for dtype in DTYPES:
        grads = torch_derivative(torch.tensor(SIGNED_ZEROS, dtype=dtype))
        measurements.maximum("max_abs_torch_grad_at_zero", grads.abs().max())
        assert torch.equal(grads, torch.zeros_like(grads)), f"torch relu'(±0) in {dtype} = {grads}"
