"""Cached runs with catalog-supplied designs: factorial cells, margin sweep, partial activity."""

import pytest
import torch

from claims.experiments import factorial, policies, reinforcement, schedules
from claims.experiments.factorial import Cell
from claims.experiments.policies import Schedule, Training, TwinDesign

SMALL = {"seeds": (0, 1, 2), "steps": 5, "batch": 8}


def test_factorial_runs_are_cached_on_every_argument():
    cell = Cell("gelu", "sgd", "private")
    assert factorial.run(cell, **SMALL) is factorial.run(cell, seeds=[0, 1, 2], steps=5, batch=8)
    assert factorial.run(cell, **SMALL) is not factorial.run(cell, **SMALL, margin=0.5)
    assert factorial.run(cell, **SMALL) is not factorial.run(cell, **SMALL, equal_outputs=True)


def test_a_factorial_run_trains_the_design_it_is_given():
    cell = Cell("gelu", "sgd", "private")
    result = factorial.run(cell, **SMALL, margin=0.5, equal_outputs=True)
    assert result.design == TwinDesign("gelu", "private", margin=0.5, equal_outputs=True)
    assert result.schedule == Schedule(5, 8)
    d = result.design.circuit_d
    assert (result.training.initial["bias"][:, d] == -0.5).all()
    assert result.active.incoming.shape == (3,)


def test_a_margin_sweep_run_at_margin_one_is_the_factorial_cell():
    sweep = factorial.margin_sweep_run("gelu", "adam", 1, **SMALL)
    cell = factorial.run(Cell("gelu", "adam", "private"), **SMALL)
    for name, value in cell.training.final.items():
        assert torch.equal(sweep.training.final[name], value), name
    assert sweep.training.trajectory is None


def test_a_margin_sweep_run_sets_ds_bias_to_minus_the_margin():
    result = factorial.margin_sweep_run("silu", "sgd", 0.25, **SMALL, readout="shared")
    assert result.cell == Cell("silu", "sgd", "shared")
    assert (result.training.initial["bias"][:, result.design.circuit_d] == -0.25).all()


def test_a_margin_sweep_refuses_an_unknown_margin_source():
    with pytest.raises(ValueError, match="all-MiniLM-L6-v2"):
        factorial.margin_sweep_run("gelu", "sgd", "bert", **SMALL)


def test_partial_activity_at_fraction_zero_is_the_factorial_cell():
    partial = schedules.partial_activity_run("relu", "sgd", 0.0, **SMALL)
    cell = factorial.run(Cell("relu", "sgd", "private"), **SMALL)
    for name, value in cell.training.final.items():
        assert torch.equal(partial.training.final[name], value), name


def test_partial_activity_prompts_switch_on_exactly_one_circuit_each():
    design = TwinDesign("relu", "private")
    schedule = schedules.partial_activity_schedule(0.25, steps=40, batch=64)
    prompts, _ = policies.draw_randomness(design, schedule, (0, 1))
    ordinary, trigger = prompts[..., policies.ORDINARY], prompts[..., policies.TRIGGER]
    assert torch.equal(ordinary + trigger, torch.ones_like(ordinary))
    assert abs(trigger.mean().item() - 0.25) < 0.03  # 5120 Bernoulli(0.25) draws: sd 0.006


def test_partial_activity_moves_relu_d_only_when_it_is_switched_on():
    never = schedules.partial_activity_run("relu", "sgd", 0.0, **SMALL)
    often = schedules.partial_activity_run("relu", "sgd", 0.5, **SMALL)
    assert (never.inactive.incoming == 0).all()
    assert (often.inactive.incoming > 0).all()


def test_partial_activity_refuses_a_fraction_outside_zero_one():
    with pytest.raises(ValueError, match="fraction"):
        schedules.partial_activity_schedule(1.5, steps=2, batch=2)


def test_unchanged_neurons_counts_as_neurons_whose_incoming_parameters_did_not_move():
    design = TwinDesign("reglu", "private")
    initial = policies.initial_parameters(design, (0, 1))
    final = {name: value.clone() for name, value in initial.items()}
    final["reads"][0, 0, 5] += 1e-3  # seed 0: A's neuron 0 moved through one read
    final["up"][1, 2, 0] += 1e-3  # seed 1: A's neuron 2 moved through its up-projection
    final["bias"][1, 3] += 1e-3  # seed 1: and neuron 3 through its bias
    final["writes"][0, :, 1] += 1.0  # outgoing: not counted
    counts = reinforcement.unchanged_neurons(design, Training(initial, final, None), "A")
    assert counts.tolist() == [3, 2]
