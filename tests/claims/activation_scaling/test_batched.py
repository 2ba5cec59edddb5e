"""activation-scaling: what the identity becomes when gradients are summed over examples and tokens."""

import pytest
import torch
from hypothesis import given

from claims.instruments import backprop
from claims.instruments.strategies import BATCH_SHAPES, HIDDEN_ACTIVATIONS, NETWORK_SPECS

FLOAT64_UNIT_ROUNDOFF = 2.0**-53
# The smallest subnormal float64: each product and sum below the normal range can be off by half
# of it, so T products and one accumulation add at most (T + 1)·2^-1074 absolute error.
FLOAT64_SMALLEST_SUBNORMAL = 2.0**-1074


def batched_calls(spec, activation, batch_shape):
    return backprop.backward_pass(spec, activation, batch_shape=batch_shape).forward.linear_calls


@pytest.mark.claim("activation-scaling/batch-sum-identity", kind="property")
@given(spec=NETWORK_SPECS, activation=HIDDEN_ACTIVATIONS, batch_shape=BATCH_SHAPES)
def test_a_summed_gradient_is_the_sum_of_per_token_outer_products(
    spec, activation, batch_shape, measurements
):
    terms = batch_shape[0] * batch_shape[1]
    for call in batched_calls(spec, activation, batch_shape):
        delta, inputs = call.output.grad.flatten(0, -2), call.inputs.detach().flatten(0, -2)
        summed = torch.einsum("tk,tj->kj", delta, inputs)
        scale = torch.einsum("tk,tj->kj", delta.abs(), inputs.abs())
        bound = 4 * terms * FLOAT64_UNIT_ROUNDOFF * scale + (terms + 1) * FLOAT64_SMALLEST_SUBNORMAL
        excess = (call.weight.grad - summed).abs() - bound
        measurements.maximum("max_abs_difference", (call.weight.grad - summed).abs().max())
        assert (excess <= 0).all(), f"{call.name}: dL/dW differs from Σ_t δ_t a_tᵀ beyond rounding"


@pytest.mark.claim("activation-scaling/batch-column-ratio", kind="property")
@given(spec=NETWORK_SPECS, activation=HIDDEN_ACTIVATIONS, batch_shape=BATCH_SHAPES)
def test_summed_column_norms_follow_summed_activations(spec, activation, batch_shape, measurements):
    for call in batched_calls(spec, activation, batch_shape):
        summed_activation = call.inputs.detach().flatten(0, -2).sum(dim=0).abs()
        column_norms = torch.linalg.vector_norm(call.weight.grad, dim=0)
        reference = int(summed_activation.argmax())
        if summed_activation[reference] == 0 or column_norms[reference] == 0:
            continue
        measured = column_norms / column_norms[reference]
        expected = summed_activation / summed_activation[reference]
        deviation = ((measured - expected).abs() / expected.clamp_min(1e-300)).max().item()
        measurements.maximum("max_relative_deviation", deviation)
        assert deviation <= 1e-9, (
            f"{call.name}: over {batch_shape[0]} examples x {batch_shape[1]} tokens the column-norm "
            f"ratio is {measured.tolist()} but the summed-activation ratio is {expected.tolist()}"
        )
