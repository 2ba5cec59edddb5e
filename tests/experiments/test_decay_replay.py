"""AdamW's decoupled decay replayed by hand (claims.instruments.optimizers.decoupled_decay)."""

import pytest
import torch

from claims.experiments import factorial, reinforcement
from claims.experiments.factorial import Cell
from claims.instruments import optimizers


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_replayed_decay_equals_torchs_adamw_on_a_parameter_whose_gradient_is_always_zero(dtype):
    gen = torch.Generator().manual_seed(3)
    start = torch.randn(5, 3, generator=gen, dtype=torch.float64).to(dtype)
    silent = start.clone().requires_grad_(True)
    # A second parameter with real gradients, so the optimizer does real Adam steps beside it.
    moving = torch.randn(4, generator=gen, dtype=torch.float64).to(dtype).requires_grad_(True)
    adamw = optimizers.OPTIMIZERS["adamw"]([silent, moving])
    steps = 25
    for _ in range(steps):
        adamw.zero_grad()
        ((moving - 1.0).square().sum() + 0.0 * silent.sum()).backward()
        assert torch.equal(silent.grad, torch.zeros_like(silent))
        adamw.step()
    lr, weight_decay = optimizers.adamw_hyperparameters()
    replayed = optimizers.decoupled_decay(start, steps, lr=lr, weight_decay=weight_decay)
    assert torch.equal(replayed, silent.detach())
    assert not torch.equal(replayed, start)  # the decay did move it


def test_adamw_hyperparameters_are_torchs_defaults():
    assert optimizers.adamw_hyperparameters() == (1e-3, 1e-2)


def test_relu_twins_under_adamw_move_only_by_the_decay():
    # Margin 1: D's preactivation stays near -1 on every training prompt, so its gradient is
    # exactly zero throughout and AdamW's decay is all that moves it.
    result = factorial.run(Cell("relu", "adamw", "private"), seeds=(0, 1, 2), steps=8, batch=8)
    assert result.decay_replay_equal().tolist() == [True, True, True]
    assert (result.inactive.incoming > 0).all()


def test_the_replay_notices_a_twin_that_got_a_gradient():
    # GELU passes D a small non-zero gradient, so AdamW moves D beyond its decay.
    result = factorial.run(Cell("gelu", "adamw", "private"), seeds=(0, 1), steps=8, batch=8)
    assert result.decay_replay_equal().tolist() == [False, False]


def test_decay_replay_covers_every_parameter_of_d():
    result = factorial.run(Cell("reglu", "adamw", "shared"), seeds=(0,), steps=2, batch=4)
    design = result.design
    replayed = reinforcement.decay_replay(design, result.training, 2)
    assert set(replayed) == {"reads", "bias", "up", "motive"}
    assert replayed["reads"].shape == (1, design.circuit_width, design.features)
