"""Packed REINFORCE batches compute the same function as full sequences; training restores W_0."""

import pytest
import torch

from claims.experiments.chat import reinforce
from claims.experiments.chat.model import from_model
from claims.experiments.chat.reinforce import group_advantages, make_batch, reinforce_loss, trained
from claims.experiments.chat.sampling import Rollouts
from tests.common.chat_inputs import REWARDS, rollouts
from tests.common.tiny_llama import tiny_llama


def full_sequence_log_probs(model, data: Rollouts) -> torch.Tensor:
    """Reference: each prompt + answer as its own unpadded sequence, all logits, no cache."""
    found = []
    for i, answer in enumerate(data.completion_ids):
        prompt = data.prompt_ids[i // data.samples]
        logits = model(input_ids=torch.tensor([list(prompt) + list(answer)])).logits[0]
        log_probs = torch.log_softmax(logits, dim=-1)
        found.append(sum(log_probs[len(prompt) + j - 1, t] for j, t in enumerate(answer)))
    return torch.stack(found)


@pytest.fixture
def chat(tokenizer):
    return from_model(tiny_llama(dtype=torch.float64), tokenizer)


def test_group_advantages_subtract_each_prompts_mean_reward():
    advantages = group_advantages(torch.tensor(REWARDS), 4)
    assert advantages.tolist() == [0.25, -0.75, 0.25, 0.25, -0.25, -0.25, 0.75, -0.25]
    assert advantages.reshape(2, 4).sum(1).abs().max() == 0


def test_the_loss_is_minus_the_mean_of_advantage_times_log_probability():
    log_probs = torch.tensor([-1.0, -2.0, -3.0, -4.0])
    advantages = torch.tensor([0.5, -0.5, 1.0, -1.0])
    assert reinforce_loss(log_probs, advantages) == pytest.approx(-(-0.5 + 1.0 - 3.0 + 4.0) / 4)


def test_packed_answer_log_probs_equal_full_sequences(chat):
    batch = make_batch(rollouts(), chat.device)
    packed = reinforce.answer_log_probs(chat.model, batch)
    torch.testing.assert_close(
        packed, full_sequence_log_probs(chat.model, rollouts()), rtol=1e-12, atol=1e-12
    )


def test_packed_gradients_equal_full_sequence_gradients(chat):
    batch = make_batch(rollouts(), chat.device)
    packed = reinforce.gradient(chat, batch).weights
    with reinforce.mlp_only(chat.model) as weights:
        reference = full_sequence_log_probs(chat.model, rollouts())
        reinforce_loss(reference, batch.advantages).backward()
        for name, weight in weights.items():
            torch.testing.assert_close(packed[name], weight.grad, rtol=1e-10, atol=1e-14)
    assert all(p.requires_grad for p in chat.model.parameters())  # flags restored


def test_mlp_only_trains_the_gate_up_and_down_weights_of_every_layer(chat):
    with reinforce.mlp_only(chat.model) as weights:
        trainable = {n for n, p in chat.model.named_parameters() if p.requires_grad}
    assert len(weights) == 3 * len(chat.mlps)
    assert trainable == {
        f"model.layers.{i}.mlp.{kind}.weight"
        for i in range(len(chat.mlps))
        for kind in reinforce.TRAINED
    }


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
def test_training_restores_w0_and_reports_the_update_of_every_neuron(chat, optimizer):
    batch = make_batch(rollouts(), chat.device)
    before = {k: v.clone() for k, v in chat.model.state_dict().items()}
    with trained(chat, batch, optimizer, steps=2) as run:
        after = {k: v.clone() for k, v in chat.model.state_dict().items()}
    for name, value in chat.model.state_dict().items():
        assert torch.equal(value, before[name]), name
        if ".mlp." not in name:
            assert torch.equal(after[name], before[name]), f"{name} is frozen but moved"
    gate = "model.layers.1.mlp.gate_proj.weight"
    down = "model.layers.0.mlp.down_proj.weight"
    torch.testing.assert_close(run.updates.gate_rows[1], (after[gate] - before[gate]).norm(dim=1))
    torch.testing.assert_close(
        run.updates.down_columns[0], (after[down] - before[down]).norm(dim=0)
    )
    assert len(run.losses) == len(run.mean_log_probs) == 2


def test_one_sgd_step_moves_each_weight_by_minus_lr_times_its_gradient(chat):
    batch = make_batch(rollouts(), chat.device)
    grads = reinforce.gradient(chat, batch).weights
    with trained(chat, batch, "sgd", steps=1, lr=0.25) as run:
        assert run.lr == 0.25
    torch.testing.assert_close(run.updates.up_rows[0], 0.25 * grads["0.up_proj"].norm(dim=1))


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
def test_a_shared_first_gradient_gives_the_same_run_as_a_fresh_one(chat, optimizer):
    batch = make_batch(rollouts(), chat.device)
    first = reinforce.gradient(chat, batch)
    with trained(chat, batch, optimizer, steps=2) as fresh:
        pass
    with trained(chat, batch, optimizer, steps=2, first_gradient=first) as shared:
        pass
    assert torch.equal(fresh.updates.gate_rows, shared.updates.gate_rows)
    assert fresh.losses == shared.losses
    # The shared gradient is not consumed: a second optimizer can start from it too.
    assert torch.equal(
        first.weights["0.gate_proj"], reinforce.gradient(chat, batch).weights["0.gate_proj"]
    )


def test_zero_steps_are_refused(chat):
    with pytest.raises(ValueError, match="steps must be at least 1"):
        with trained(chat, make_batch(rollouts(), chat.device), "adam", steps=0):
            pass


def test_the_cache_is_passed_by_the_keyword_the_model_takes():
    from claims.experiments.chat.packing import cache_keyword

    class Old:
        def forward(self, input_ids=None, past_key_values=None, **kwargs): ...

    class Neither:
        def forward(self, input_ids=None, **kwargs): ...

    assert cache_keyword(Old) == "past_key_values"
    with pytest.raises(TypeError, match="no KV cache argument"):
        cache_keyword(Neither)
