"""claims.instruments.training, nets.forward under no_grad, and the finite-difference check."""

import pytest
import torch

from claims.instruments import finite_difference, nets, training
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.optimizers import OPTIMIZERS

SPEC = nets.MLPSpec(
    input_width=3, hidden_widths=(5, 4), output_width=2, bias=True, init_scale=1.0, seed=7
)
RELU, GELU = ACTIVATIONS["relu"], ACTIVATIONS["gelu"]


def batch():
    return nets.draw_inputs(SPEC, batch_shape=(6,))


def test_each_step_keeps_the_gradient_the_optimizer_saw_and_the_update_it_made():
    mlp = nets.build_mlp(SPEC)
    inputs, target = batch()
    steps = training.train(mlp, inputs, target, GELU, OPTIMIZERS["sgd"], steps=3)
    assert [s.index for s in steps] == [0, 1, 2]
    for taken in steps:
        # Plain SGD, lr 0.1: the update is exactly -lr times the recorded gradient.
        for update, gradient in zip(taken.updates, taken.gradients, strict=True):
            torch.testing.assert_close(update, -0.1 * gradient, rtol=0, atol=1e-15)
    assert all(torch.equal(a, b) for a, b in zip(steps[1].before, steps[0].after, strict=True))
    assert steps[-1].loss < steps[0].loss  # a small step on a smooth loss goes downhill
    names = training.parameter_names(mlp)
    assert names == ["W0", "b0", "W1", "b1", "W2", "b2"]


def test_the_recorded_gradient_is_autograds_on_that_step():
    mlp = nets.build_mlp(SPEC)
    inputs, target = batch()
    (taken,) = training.train(mlp, inputs, target, RELU, OPTIMIZERS["adam"], steps=1)
    fresh = nets.build_mlp(SPEC)
    nets.squared_error(nets.forward(fresh, inputs, RELU).output, target).backward()
    for recorded, parameter in zip(taken.gradients, fresh.parameters, strict=True):
        assert torch.equal(recorded, parameter.grad)


def test_a_parameter_the_loss_does_not_reach_keeps_none_and_is_not_decayed():
    mlp = nets.build_mlp(SPEC)
    inputs, target = batch()
    names = training.parameter_names(mlp)
    cases = {
        # Reaches only the readout bias: every other gradient stays None ...
        "unreached": lambda output, target: (mlp.biases[-1] ** 2).sum(),
        # ... while output * 0 keeps the graph: every weight gets an exactly zero gradient.
        "zeroed": lambda output, target: nets.squared_error(output * 0 + mlp.biases[-1], target),
    }
    for case, loss in cases.items():
        mlp = nets.build_mlp(SPEC)
        (taken,) = training.train(
            mlp, inputs, target, RELU, OPTIMIZERS["adamw"], steps=1, loss=loss
        )
        gradient = dict(zip(names, taken.gradients, strict=True))
        moved = {
            n: not torch.equal(a, b)
            for n, a, b in zip(names, taken.after, taken.before, strict=True)
        }
        assert moved["b2"], case
        if case == "unreached":
            assert gradient["W0"] is None and gradient["b2"] is not None
            assert not moved["W0"], "AdamW skips a parameter whose gradient is None"
        else:
            assert torch.count_nonzero(gradient["W0"]) == 0
            assert moved["W0"], "AdamW decays a parameter whose gradient is zero"


def test_a_hook_sees_every_step_and_can_inspect_under_no_grad():
    mlp = nets.build_mlp(SPEC)
    inputs, target = batch()
    seen = []

    def inspect(taken: training.TrainingStep) -> None:
        with torch.no_grad():
            seen.append(nets.forward(mlp, inputs, GELU).output.clone())

    steps = training.train(mlp, inputs, target, GELU, OPTIMIZERS["sgd"], steps=2, on_step=inspect)
    assert len(seen) == 2
    assert not seen[0].requires_grad
    # The inspection pass after step 0 is the forward pass step 1 trained on.
    torch.testing.assert_close(seen[0], steps[1].forward.output.detach(), rtol=0, atol=0)


def test_bad_arguments_are_refused():
    mlp = nets.build_mlp(SPEC)
    inputs, target = batch()
    with pytest.raises(ValueError, match="steps must be >= 1"):
        training.train(mlp, inputs, target, RELU, OPTIMIZERS["sgd"], steps=0)
    with pytest.raises(ValueError, match="the loss must be a scalar"):
        training.train(
            mlp, inputs, target, RELU, OPTIMIZERS["sgd"], steps=1, loss=lambda o, t: o - t
        )


def test_forward_under_no_grad_gives_the_same_numbers_without_a_graph():
    mlp = nets.build_mlp(SPEC)
    inputs, _ = batch()
    with_grad = nets.forward(mlp, inputs, GELU)
    with torch.no_grad():
        without = nets.forward(mlp, inputs, GELU)
    assert torch.equal(with_grad.output.detach(), without.output)
    assert all(not z.requires_grad for z in without.preactivations)


def test_autograd_agrees_with_central_differences_away_from_kinks():
    x = torch.linspace(-3, 3, 7, dtype=torch.float64).add(0.05).requires_grad_()
    for name in ("gelu", "relu", "silu"):
        assert finite_difference.check_gradient(ACTIVATIONS[name].torch_fn, x).agrees, name


def test_at_relus_kink_the_convention_disagrees_with_the_central_difference():
    # ReLU'(0) := 0 in autograd; the central difference is 1/2.
    check = finite_difference.check_gradient(
        ACTIVATIONS["relu"].torch_fn, torch.zeros(1, dtype=torch.float64, requires_grad=True)
    )
    assert not check.agrees
    assert "Jacobian mismatch" in check.mismatch


def test_a_finite_difference_check_in_float32_is_refused():
    with pytest.raises(ValueError, match="input 0: need a float64 tensor"):
        finite_difference.check_gradient(torch.tanh, torch.ones(2, requires_grad=True))
