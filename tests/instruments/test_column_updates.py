"""claims.instruments.optimizers: column_updates' options and column_tolerance's refusal."""

import pytest
import torch

from claims.instruments import optimizers

ONES = torch.ones(3, dtype=torch.float64)


def norms(step: optimizers.Step) -> list[float]:
    return optimizers.column_norms(step.update).tolist()


def test_a_silent_column_has_no_relative_tolerance():
    (step,) = optimizers.column_updates("sgd", [torch.tensor([1.0, 0.0, 2.0])], outputs=2, seed=0)
    with pytest.raises(ValueError, match=r"column\(s\) \[1\] did not move"):
        step.column_tolerance()
    (moving,) = optimizers.column_updates("sgd", [ONES], outputs=2, seed=0)
    assert torch.isfinite(moving.column_tolerance()).all()


def test_a_none_gradient_is_skipped_where_a_zero_gradient_still_decays():
    zero = torch.zeros(3, dtype=torch.float64)
    _, after_none = optimizers.column_updates("adamw", [ONES, None], outputs=2, seed=0)
    _, after_zero = optimizers.column_updates("adamw", [ONES, zero], outputs=2, seed=0)
    assert norms(after_none) == [0.0, 0.0, 0.0]
    assert all(n > 0 for n in norms(after_zero))


def test_options_replace_the_optimizers_defaults():
    (base,) = optimizers.column_updates("sgd", [ONES], outputs=2, seed=3)
    (doubled,) = optimizers.column_updates("sgd", [ONES], outputs=2, seed=3, options={"lr": 0.2})
    torch.testing.assert_close(doubled.update, 2 * base.update, rtol=1e-12, atol=0)
    zero = torch.zeros(3, dtype=torch.float64)
    (plain,) = optimizers.column_updates("adamw", [zero], outputs=2, seed=3)
    (undecayed,) = optimizers.column_updates(
        "adamw", [zero], outputs=2, seed=3, options={"weight_decay": 0.0}
    )
    assert all(n > 0 for n in norms(plain)) and norms(undecayed) == [0.0, 0.0, 0.0]


def test_parameter_groups_give_each_neuron_its_own_learning_rate():
    (step,) = optimizers.column_updates(
        "sgd", [ONES], outputs=2, seed=1, groups=[([0, 2], {"lr": 0.0}), ([1], {})]
    )
    (plain,) = optimizers.column_updates("sgd", [ONES], outputs=2, seed=1)
    assert norms(step)[0] == norms(step)[2] == 0.0
    assert torch.equal(step.update[:, 1], plain.update[:, 1])
    assert torch.equal(step.before, plain.before)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"optimizer": "lion"}, "unknown optimizer 'lion'"),
        ({"groups": [([0, 1], {})]}, "groups must cover columns 0..2 exactly once"),
        ({"groups": [([0, 1, 2], {}), ([2], {})]}, "groups must cover columns 0..2 exactly once"),
        ({"activations": [None]}, "no activation vector"),
        ({"activations": [ONES, torch.ones(2)]}, "activation vectors differ in length"),
    ],
)
def test_bad_arguments_are_one_line_errors(kwargs, message):
    arguments = {"optimizer": "sgd", "activations": [ONES], "outputs": 2, "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=message):
        optimizers.column_updates(
            arguments.pop("optimizer"), arguments.pop("activations"), **arguments
        )
