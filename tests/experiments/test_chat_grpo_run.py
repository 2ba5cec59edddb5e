"""A GRPO run and its measurements on the tiny Llama: reproducible, exact where they should be.

The tiny model's neuron 0 is planted closed on every token (tests/common/tiny_llama.py), so
under ReLU gates it must stay exactly still, and under SiLU it must move.
"""

from __future__ import annotations

import json

import pytest
import torch

from claims.experiments.chat import grpo, grpo_run, tracking
from claims.experiments.chat.evidence import plain
from claims.experiments.chat.model import from_model
from claims.experiments.chat.reinforce import TRAINED, mlp_parameters
from tests.common.chat_inputs import PARITY_PROMPTS
from tests.common.tiny_llama import tiny_llama

SETTINGS = grpo.Settings(prompts_per_step=2, samples=4, max_new_tokens=4, lr=1e-2, beta=0.04)


@pytest.fixture
def tiny(tokenizer):
    return from_model(tiny_llama(), tokenizer)  # float32, as the real model runs


def run(chat, *, gate="silu", settings=SETTINGS, steps=3, seed=0, **kwargs):
    trained = grpo_run.clone(chat, gate=gate)
    found = grpo_run.run_grpo(
        trained, PARITY_PROMPTS, settings, seed=seed, steps=steps, checkpoint_every=2, **kwargs
    )
    return trained, found


def test_the_relu_controls_closed_neuron_stays_exactly_still_and_the_silu_one_moves(tiny):
    _, relu = run(tiny, gate="relu")
    _, silu = run(tiny, gate="silu")
    assert any(step.grad_norm > 0 for step in relu.steps)  # there was a gradient to follow
    for found, still in ((relu, True), (silu, False)):
        tracker = found.tracker
        assert tracker.never_active()[:, 0].all()  # the planted neuron never opened
        for part in tracking.PARTS:
            planted = tracker.updates[part][:, 0]
            assert bool((planted == 0).all()) is still, (found.gate, part)
            assert tracker.checkpoints[-1].parts[part].active_mean > 0
        if still:
            assert tracker.checkpoints[-1].parts["gate_rows"].never_active_max == 0.0
    assert all(share.closed_gradient_share == 0.0 for share in relu.tracker.shares)
    assert all(share.closed_gradient_share > 0.0 for share in silu.tracker.shares)


def test_a_rerun_with_the_same_seed_is_bit_for_bit_and_another_seed_differs(tiny):
    first_model, first = run(tiny, seed=4)
    again_model, again = run(tiny, seed=4)
    _, other = run(tiny, seed=5)
    assert first.steps[0].reward == again.steps[0].reward
    assert [s.loss for s in first.steps] == [s.loss for s in again.steps]
    assert grpo_run.parameters_equal(first_model, again_model)
    assert [s.loss for s in first.steps] != [s.loss for s in other.steps]


def test_checkpoint_updates_are_the_norms_of_each_neurons_slices(tiny):
    trained, found = run(tiny)
    before, after = mlp_parameters(tiny.model), mlp_parameters(trained.model)
    for layer in range(len(tiny.mlps)):
        for part, (kind, dim) in tracking.SLICES.items():
            change = after[f"{layer}.{kind}"].double() - before[f"{layer}.{kind}"].double()
            expected = torch.linalg.vector_norm(change, dim=dim)
            assert torch.equal(found.tracker.updates[part][layer], expected)
    assert [c.step for c in found.tracker.checkpoints] == [0, 2, 3]
    assert found.tracker.tokens == sum(share.tokens for share in found.tracker.shares)


def test_the_hooked_decomposition_agrees_with_autograd_while_training_every_weight(tiny):
    _, found = run(tiny, check_steps=(0, 2))
    assert found.check_ratio is not None and 0 < found.check_ratio <= 1


def test_the_check_needs_one_inner_iteration(tiny):
    settings = grpo.Settings(prompts_per_step=2, samples=4, max_new_tokens=4, iterations=2)
    with pytest.raises(ValueError, match="mu = 1"):
        run(tiny, settings=settings, steps=1, check_steps=(0,))


def test_inner_iterations_and_mlp_only_training_leave_other_weights_untouched(tiny):
    settings = grpo.Settings(
        prompts_per_step=2, samples=4, max_new_tokens=4, iterations=2, trained="mlp", lr=1e-2
    )
    trained, found = run(tiny, settings=settings, steps=2)
    assert len(found.steps) == 2 and found.steps[-1].lr < settings.lr  # linear decay
    mlp = {f"model.layers.{i}.mlp.{kind}.weight" for i in range(len(tiny.mlps)) for kind in TRAINED}
    original = dict(tiny.model.named_parameters())
    now = dict(trained.model.named_parameters())
    assert all(torch.equal(now[name], original[name]) for name in now if name not in mlp)
    assert all(not torch.equal(now[name], original[name]) for name in mlp)
    assert all(p.requires_grad for p in trained.model.parameters())  # flags restored


def test_a_run_is_plain_json(tiny):
    _, found = run(tiny)
    text = json.dumps(plain(found.to_json(per_neuron=True)), allow_nan=False)
    loaded = json.loads(text)
    assert loaded["loss_type"] == "dapo" and len(loaded["steps"]) == 3
    assert len(loaded["measurements"]["per_neuron"]["gate_rows"]) == len(tiny.mlps)
