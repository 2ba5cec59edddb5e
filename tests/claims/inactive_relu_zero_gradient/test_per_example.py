"""inactive-relu-zero-gradient: one example's backward pass through random ReLU MLPs."""

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from claims.instruments import nets
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.strategies import MLP_SPECS, REPLACEMENT_SCALES, SEEDS

LOW_PRECISION = st.sampled_from((torch.float32, torch.bfloat16, torch.float16))


def backward(
    spec: nets.MLPSpec, *, dtype: torch.dtype = torch.float64
) -> tuple[nets.MLP, nets.Forward]:
    """Build the network, run one example forward and backward, keep every gradient."""
    mlp = nets.build_mlp(spec, dtype=dtype)
    inputs, target = nets.draw_inputs(spec, dtype=dtype)
    run = nets.forward(mlp, inputs, ACTIVATIONS["relu"])
    nets.squared_error(run.output, target).backward()
    return mlp, run


def check_error_signal_zero(run: nets.Forward, measurements) -> None:
    for layer, z in enumerate(run.preactivations):
        inactive = nets.inactive_mask(z)
        signal = z.grad
        measurements.count("inactive_neurons_checked", int(inactive.sum()))
        measurements.count(
            "active_neurons_with_nonzero_signal", int((~inactive & (signal != 0)).sum())
        )
        if inactive.any():
            measurements.maximum("max_abs_error_signal_at_inactive", signal[inactive].abs().max())
        for j in torch.nonzero(inactive & (signal != 0)).flatten().tolist():
            raise AssertionError(
                f"layer {layer} neuron {j}: z = {z[j].item():.6g} < 0 but dL/dz = {signal[j].item():.6g}"
            )


@pytest.mark.claim("inactive-relu-zero-gradient/error-signal-zero", kind="property")
@given(spec=MLP_SPECS)
def test_error_signal_is_exactly_zero_at_every_inactive_neuron(spec, measurements):
    _, run = backward(spec)
    check_error_signal_zero(run, measurements)


@pytest.mark.claim("inactive-relu-zero-gradient/active-neuron-passes-error-signal", kind="property")
@given(spec=MLP_SPECS)
def test_an_active_neuron_passes_its_whole_error_signal_to_its_incoming_row(spec, measurements):
    mlp = nets.build_mlp(spec)
    inputs, target = nets.draw_inputs(spec)
    run = nets.forward(mlp, inputs, ACTIVATIONS["relu"])
    # dL/da for each hidden activation a = relu(z), as autograd computes it.
    for call in run.linear_calls[1:]:
        call.inputs.retain_grad()
    nets.squared_error(run.output, target).backward()
    for layer, z in enumerate(run.preactivations):
        active = z.detach() > 0
        arriving = run.linear_calls[layer + 1].inputs.grad
        difference = (z.grad - arriving)[active].abs()
        measurements.count("active_neurons_checked", int(active.sum()))
        if active.any():
            measurements.maximum("max_abs_active_signal_difference", difference.max())
        for j in torch.nonzero(active & (z.grad != arriving)).flatten().tolist():
            raise AssertionError(
                f"layer {layer} neuron {j}: z = {z[j].item():.6g} > 0 but dL/dz = "
                f"{z.grad[j].item():.6g} differs from dL/da = {arriving[j].item():.6g}"
            )
        rows = mlp.weights[layer].grad[active]
        expected = torch.outer(z.grad[active], run.linear_calls[layer].inputs.detach())
        assert torch.equal(rows, expected), (
            f"layer {layer}: an active neuron's incoming row is not dL/dz times its input"
        )


@pytest.mark.claim("inactive-relu-zero-gradient/lower-precision", kind="property")
@given(spec=MLP_SPECS, dtype=LOW_PRECISION)
def test_error_signal_is_exactly_zero_in_low_precision_too(spec, dtype, measurements):
    _, run = backward(spec, dtype=dtype)
    check_error_signal_zero(run, measurements)


@pytest.mark.claim("inactive-relu-zero-gradient/incoming-weights-zero-gradient", kind="property")
@given(spec=MLP_SPECS)
def test_incoming_weights_and_bias_of_an_inactive_neuron_get_zero_gradient(spec, measurements):
    mlp, run = backward(spec)
    for layer, z in enumerate(run.preactivations):
        inactive = nets.inactive_mask(z)
        row_grads = mlp.weights[layer].grad[inactive]
        measurements.count("inactive_rows_checked", int(inactive.sum()))
        if inactive.any():
            measurements.maximum("max_abs_incoming_grad_at_inactive", row_grads.abs().max())
        bias = mlp.biases[layer]
        assert torch.equal(row_grads, torch.zeros_like(row_grads)), (
            f"layer {layer}: incoming weight rows of inactive neurons "
            f"{torch.nonzero(inactive).flatten().tolist()} have gradient norm {row_grads.norm().item():.6g}"
        )
        if bias is not None:
            assert torch.equal(bias.grad[inactive], torch.zeros_like(bias.grad[inactive])), (
                f"layer {layer}: bias gradient at inactive neurons = {bias.grad[inactive]}"
            )


@pytest.mark.claim("inactive-relu-zero-gradient/no-gradient-to-earlier-layers", kind="property")
@given(
    spec=MLP_SPECS,
    layer_choice=st.integers(min_value=0, max_value=3),
    replacement_seed=SEEDS,
    replacement_scale=REPLACEMENT_SCALES,
)
def test_earlier_layer_gradients_ignore_an_inactive_neurons_outgoing_weights(
    spec, layer_choice, replacement_seed, replacement_scale, measurements
):
    mlp, run = backward(spec)
    layer = layer_choice % len(spec.hidden_widths)
    inactive = torch.nonzero(nets.inactive_mask(run.preactivations[layer])).flatten()
    assume(len(inactive) > 0)
    gen = nets.generator(replacement_seed)
    replacement = (
        torch.randn(
            mlp.weights[layer + 1].shape[0], len(inactive), generator=gen, dtype=torch.float64
        )
        * replacement_scale
    )
    changed = nets.with_outgoing_weights(mlp, layer=layer, neurons=inactive, values=replacement)
    inputs, target = nets.draw_inputs(spec)
    changed_run = nets.forward(changed, inputs, ACTIVATIONS["relu"])
    nets.squared_error(changed_run.output, target).backward()
    measurements.count("inactive_neurons_rewired", len(inactive))
    assert torch.equal(changed_run.output, run.output), (
        "output changed with an inactive neuron's weights"
    )
    before = range(layer + 1)
    earlier = [(f"W{k}", mlp.weights[k], changed.weights[k]) for k in before]
    earlier += [(f"b{k}", mlp.biases[k], changed.biases[k]) for k in before if spec.bias]
    for name, original, rewired in earlier:
        difference = (original.grad - rewired.grad).abs().max().item()
        measurements.maximum("max_abs_earlier_grad_difference", difference)
        assert torch.equal(original.grad, rewired.grad), (
            f"dL/d{name} moved by up to {difference:.6g} when the outgoing weights of inactive "
            f"neurons {inactive.tolist()} of hidden layer {layer} were replaced"
        )
