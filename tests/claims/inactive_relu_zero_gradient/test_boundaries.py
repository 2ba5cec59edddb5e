"""inactive-relu-zero-gradient: where the per-example statement stops holding.

The statements tested here are the claim carried beyond its scope; the catalog records whether
each is expected to hold there. Each test asserts the statement as written and lets Hypothesis
search for a counterexample -- none of them is constructed to fail.
"""

import pytest
import torch
from hypothesis import given

from claims.instruments import nets
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.strategies import BATCH_SHAPES, MLP_SPECS, RESIDUAL_SPECS


def batched_backward(
    spec: nets.MLPSpec, batch_shape: tuple[int, int]
) -> tuple[nets.MLP, nets.Forward]:
    mlp = nets.build_mlp(spec)
    inputs, target = nets.draw_inputs(spec, batch_shape=batch_shape)
    run = nets.forward(mlp, inputs, ACTIVATIONS["relu"])
    nets.squared_error(run.output, target).backward()
    return mlp, run


def check_rows_zero(mlp: nets.MLP, run: nets.Forward, silent: str, measurements) -> None:
    """Assert zero incoming gradient for neurons inactive on all / any example of the batch."""
    for layer, z in enumerate(run.preactivations):
        inactive = nets.inactive_mask(z).flatten(0, -2)
        selected = inactive.all(dim=0) if silent == "all" else inactive.any(dim=0)
        measurements.count("neurons_checked", int(selected.sum()))
        for j in torch.nonzero(selected).flatten().tolist():
            row_grad = mlp.weights[layer].grad[j]
            bias_grad = (
                mlp.biases[layer].grad[j] if mlp.biases[layer] is not None else torch.zeros(())
            )
            largest = max(row_grad.abs().max().item(), abs(bias_grad.item()))
            measurements.maximum(
                "max_abs_summed_grad" if silent == "all" else "max_abs_summed_grad_somewhere",
                largest,
            )
            assert torch.equal(row_grad, torch.zeros_like(row_grad)) and bias_grad == 0, (
                f"layer {layer} neuron {j}: preactivations over the batch "
                f"{[round(v, 4) for v in z[..., j].flatten().tolist()]}, yet "
                f"|dL/dW[j, :]| = {row_grad.norm().item():.6g}"
            )


@pytest.mark.claim("inactive-relu-zero-gradient/batch-inactive-everywhere", kind="property")
@given(spec=MLP_SPECS, batch_shape=BATCH_SHAPES)
def test_a_neuron_inactive_on_every_example_gets_no_summed_gradient(
    spec, batch_shape, measurements
):
    mlp, run = batched_backward(spec, batch_shape)
    check_rows_zero(mlp, run, "all", measurements)


@pytest.mark.claim("inactive-relu-zero-gradient/batch-inactive-somewhere", kind="property")
@given(spec=MLP_SPECS, batch_shape=BATCH_SHAPES)
def test_a_neuron_inactive_on_some_example_gets_no_summed_gradient(spec, batch_shape, measurements):
    mlp, run = batched_backward(spec, batch_shape)
    check_rows_zero(mlp, run, "any", measurements)


@pytest.mark.claim("inactive-relu-zero-gradient/residual-earlier-layers", kind="property")
@given(spec=RESIDUAL_SPECS)
def test_no_gradient_reaches_the_layer_before_a_silent_residual_block(spec, measurements):
    net, inputs, target = nets.build_silenced_residual(spec)
    run = nets.residual_forward(net, inputs, ACTIVATIONS["relu"])
    if not nets.inactive_mask(run.preactivation).all():
        raise RuntimeError(
            "construction error: the block was meant to be silent"
        )  # ERROR, not FAILS
    nets.squared_error(run.output, target).backward()
    skip_difference = (run.stream_in.grad - run.output.grad).abs().max().item()
    measurements.maximum("max_abs_skip_path_gradient_difference", skip_difference)
    measurements.minimum("min_earlier_layer_grad_norm", net.embed.grad.norm())
    assert torch.equal(net.embed.grad, torch.zeros_like(net.embed.grad)), (
        f"all {spec.hidden_width} block neurons inactive (max z = {run.preactivation.max().item():.4g}), "
        f"yet |dL/dW0| = {net.embed.grad.norm().item():.6g}: dL/dx equals dL/dy through the skip path"
    )
