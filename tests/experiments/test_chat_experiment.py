"""The per-measurement functions on a tiny model: plumbing, shared samples, ratios and bins."""

import math

import pytest
import torch

from claims.experiments.chat import experiment
from claims.experiments.chat.experiment import inactive_update_ratio, update_by_activity
from claims.experiments.chat.model import using_gate
from claims.experiments.chat.prompts import ChatPrompt
from tests.common.chat_inputs import hand_made_run

SMALL = {"train_prompts": 2, "samples": 2, "max_new_tokens": 3}


@pytest.fixture
def varied_rewards(monkeypatch):
    # The tiny model's answers are gibberish: reward odd-length answers so advantages vary.
    monkeypatch.setattr(ChatPrompt, "reward", lambda self, text: float(len(text) % 2))


def test_reinforce_runs_share_samples_across_optimizers_and_restore_w0(tiny_chat, varied_rewards):
    before = {k: v.clone() for k, v in tiny_chat.model.state_dict().items()}
    runs = experiment.reinforce_runs(
        tiny_chat,
        seeds=(0, 1),
        optimizers=("sgd", "adam", "adamw"),
        steps=2,
        heldout_prompts=2,
        **SMALL,
    )
    assert [run.seed for run in runs] == [0, 1]
    for run in runs:
        assert set(run.trainings) == set(run.log_odds_after) == {"sgd", "adam", "adamw"}
        assert run.log_odds_before.shape == (2,)
        assert torch.equal(run.log_odds_before, runs[0].log_odds_before)  # W_0 is shared
        assert set(run.rollouts.rewards) == {0.0, 1.0}  # advantages vary
        assert len({t.losses[0] for t in run.trainings.values()}) == 1  # same batch, same W_0
        assert run.trainings["adam"].updates.gate_rows.shape == (2, 24)
        assert run.attribution.gradient is None  # released after use
    assert runs[0].rollouts.completion_ids != runs[1].rollouts.completion_ids
    for name, value in tiny_chat.model.state_dict().items():
        assert torch.equal(value, before[name]), name


def test_a_seed_without_policy_gradient_is_attributed_but_not_trained(tiny_chat, monkeypatch):
    monkeypatch.setattr(ChatPrompt, "reward", lambda self, text: 1.0)
    (run,) = experiment.reinforce_runs(
        tiny_chat, seeds=(0,), optimizers=("sgd", "adamw"), steps=1, heldout_prompts=1, **SMALL
    )
    assert not run.has_gradient and run.trainings == {} and run.log_odds_after == {}
    assert run.attribution.census.tokens > 0
    assert float(run.attribution.split.gate_total.sum()) == 0.0


def test_the_relu_control_can_train_on_the_silu_models_answers(tiny_chat, varied_rewards):
    kwargs = {"seeds": (0,), "optimizers": ("sgd",), "steps": 1, "heldout_prompts": 1, **SMALL}
    (silu,) = experiment.reinforce_runs(tiny_chat, **kwargs)
    with using_gate(tiny_chat, "relu"):
        (own,) = experiment.reinforce_runs(tiny_chat, **kwargs)
        (shared,) = experiment.reinforce_runs(tiny_chat, sample_gate="silu", **kwargs)
        assert tiny_chat.gate == "relu"
    assert shared.rollouts == silu.rollouts and own.rollouts != silu.rollouts
    assert float(shared.attribution.split.gate_negative.sum()) == 0.0  # ReLU gates differentiated
    assert float(silu.attribution.split.gate_negative.sum()) > 0.0


def test_learning_rates_can_be_set_per_optimizer(tiny_chat, varied_rewards):
    (run,) = experiment.reinforce_runs(
        tiny_chat,
        seeds=(0,),
        optimizers=("sgd", "adam"),
        steps=1,
        heldout_prompts=1,
        lr={"sgd": 0.5},
        **SMALL,
    )
    assert run.trainings["sgd"].lr == 0.5 and run.trainings["adam"].lr == 1e-3


def test_attributions_give_one_census_per_seed(tiny_chat, varied_rewards):
    found = experiment.attributions(tiny_chat, seeds=(0, 1, 2), **SMALL)
    assert len(found) == 3 and all(a.split is not None for a in found)


def test_the_inactive_update_ratio_divides_mean_updates():
    run = hand_made_run([0, 6])  # updates 1 and 7; the others 2, 3, 4, 5, 6, 8
    assert inactive_update_ratio(run, "adam") == pytest.approx(4 / (28 / 6))
    assert run.log_odds_change("adam").tolist() == [1.0]
    with pytest.raises(ValueError, match="ratio undefined"):
        inactive_update_ratio(hand_made_run([]), "adam")
    with pytest.raises(ValueError, match="unknown part"):
        inactive_update_ratio(run, "adam", part="bias")


def test_updates_are_binned_by_activity_with_a_bin_for_never_open():
    bins = update_by_activity(hand_made_run([]), "adam", edges=(0.0, 0.2, 0.5, 1.0))
    # activities 0, .1, .5, 1 / .2, 1, 0, .3 -> [0]: neurons 1, 7; (0, .2]: 2, 5; (.2, .5]: 3, 8;
    # (.5, 1]: 4, 6.
    assert bins == [(0.0, 0.0, 2, 4.0), (0.0, 0.2, 2, 3.5), (0.2, 0.5, 2, 5.5), (0.5, 1.0, 2, 5.0)]
    empty = update_by_activity(hand_made_run([]), "adam", edges=(0.0, 0.05, 0.09))
    assert empty[2][2] == 0 and math.isnan(empty[2][3])
