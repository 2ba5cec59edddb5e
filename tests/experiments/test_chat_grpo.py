"""GRPO's loss and gradient equal TRL's GRPOTrainer on the same batch; its pieces are exact.

The equivalence runs TRL 1.16's own ``GRPOTrainer.compute_loss`` on a tiny Llama, with the
completions, old and reference log-probabilities and advantages of a packed batch of ours laid
out the way TRL lays them out (prompts left-padded and repeated per answer, completions
right-padded), in two parts:

- its loss code (clipped ratio, k3, "dapo" aggregation, the layout) exactly, in float64: TRL's
  per-token log-probabilities taken from full-sequence logits with TRL's own
  ``selective_log_softmax`` (what its fused head computes, without the head's float32
  accumulators);
- its fused LM head as shipped (trl/kernels/chunked_logprob.py), whose log-sum-exp and gradient
  accumulate in float32 by design ("Always accumulate in fp32"), so in float32 on both sides and
  to float32 accuracy.
"""

from __future__ import annotations

import pytest
import torch

from claims.experiments.chat import grpo
from claims.experiments.chat.model import from_model
from claims.experiments.chat.packing import pad_right
from claims.experiments.chat.reinforce import Batch
from tests.common.tiny_llama import tiny_llama

# Two prompts of different lengths, three answers each of 1 to 5 tokens (both passes padded).
PROMPTS = ((1, 9690, 198, 2683, 359, 253, 198, 1, 520), (1, 9690, 198, 77, 1, 520, 9531))
# For TRL, prompts of one length: TRL left-pads prompts without position ids, which shifts the
# RoPE positions of a padded row (exactly invariant in real arithmetic, but transformers computes
# the RoPE angles in float32, so a shift moves q and k by float32 roundings).
EQUAL_PROMPTS = (
    (1, 9690, 198, 2683, 359, 253, 198, 1, 520),
    (1, 9690, 198, 77, 1, 520, 9531, 28, 29),
)
ANSWERS = ((35716, 3231, 2), (5,), (11, 12, 13, 14, 2), (300, 2), (7, 8), (9, 10, 11, 2))
REWARDS = (1.0, 0.0, 1.0, 0.0, 0.0, 1.0)
SAMPLES = 3


@pytest.fixture
def chat(tokenizer):
    return from_model(tiny_llama(dtype=torch.float64), tokenizer)


def packed_batch(device: torch.device, prompts=PROMPTS) -> Batch:
    prompt_ids, prompt_mask = pad_right(prompts)
    answer_ids, answer_mask = pad_right(ANSWERS)
    advantages = grpo.group_advantages(torch.tensor(REWARDS, dtype=torch.float64), SAMPLES)
    return Batch(
        prompt_ids.to(device),
        prompt_mask.to(device),
        answer_ids.to(device),
        answer_mask.to(device),
        advantages.to(device),
        SAMPLES,
    )


def trl_inputs(batch: Batch, pad_id: int) -> dict[str, torch.Tensor]:
    """The batch as TRL holds it: each answer's prompt repeated, left-padded; answers right-padded."""
    prompts = [
        row[mask.bool()].tolist()
        for row, mask in zip(batch.prompt_ids, batch.prompt_mask, strict=True)
    ]
    rows = [prompts[i // SAMPLES] for i in range(len(ANSWERS))]
    width = max(len(row) for row in rows)
    prompt_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    prompt_mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        prompt_ids[i, width - len(row) :] = torch.tensor(row)
        prompt_mask[i, width - len(row) :] = 1
    completion_ids = batch.answer_ids.masked_fill(batch.answer_mask == 0, pad_id)
    return {
        "prompt_ids": prompt_ids,
        "prompt_mask": prompt_mask,
        "completion_ids": completion_ids,
        "completion_mask": batch.answer_mask,
        "advantages": batch.advantages,
        "num_items_in_batch": batch.answer_mask.sum(),
    }


def trl_trainer(model, tokenizer, tmp_path, *, beta: float, iterations: int):
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    args = GRPOConfig(
        output_dir=str(tmp_path),
        use_cpu=True,
        bf16=False,
        activation_checkpointing=False,
        num_generations=SAMPLES,
        per_device_train_batch_size=SAMPLES,
        max_completion_length=8,
        num_iterations=iterations,
        report_to=[],
        beta=0.0,  # a reference model would be loaded from the hub; its log-probs are passed in
    )
    assert args.loss_type == grpo.LOSS_TYPE and args.epsilon == 0.2  # TRL 1.16's defaults
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=lambda completions, **kwargs: [0.0] * len(completions),
        args=args,
        train_dataset=Dataset.from_dict({"prompt": ["x"] * SAMPLES}),
        processing_class=tokenizer,
    )
    trainer.beta = beta
    trainer.current_gradient_accumulation_steps = 1
    trainer.model.train()  # TRL's "train" mode normalisation (Llama has no dropout)
    return trainer


def perturbed(log_probs: torch.Tensor, mask: torch.Tensor, scale: float, seed: int):
    """log-probs moved by up to ±scale per token (0 at padding): ratios both inside and outside
    the clip range."""
    generator = torch.Generator().manual_seed(seed)
    noise = (torch.rand(log_probs.shape, generator=generator, dtype=log_probs.dtype) - 0.5) * 2
    return (log_probs.detach() + scale * noise) * mask


def gradients(model) -> dict[str, torch.Tensor]:
    found = {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}
    model.zero_grad(set_to_none=True)
    return found


def full_logit_log_probs(trainer):
    """TRL's _get_per_token_logps_and_entropies with the fused head replaced by full logits and
    TRL's selective_log_softmax (exact in the model's dtype); entropies are not used here."""
    from trl.trainer.utils import selective_log_softmax

    def per_token(model, input_ids, attention_mask, logits_to_keep, **kwargs):
        logits = model(input_ids=input_ids, attention_mask=attention_mask).logits
        logits = logits[:, -logits_to_keep - 1 : -1]
        log_probs = selective_log_softmax(logits, input_ids[:, -logits_to_keep:])
        return log_probs, torch.zeros_like(log_probs), None

    trainer._get_per_token_logps_and_entropies = per_token


def our_loss_and_gradients(chat, batch, *, old, ref, beta):
    chat.model.zero_grad(set_to_none=True)
    ours = grpo.grpo_loss(
        grpo.token_log_probs(chat.model, batch),
        batch.answer_mask,
        batch.advantages,
        old_log_probs=old,
        ref_log_probs=ref,
        beta=beta,
    )
    ours.loss.backward()
    return ours, gradients(chat.model)


def their_loss_and_gradients(trainer, batch, pad_id, *, old, ref):
    inputs = trl_inputs(batch, pad_id)
    if ref is not None:
        inputs["ref_per_token_logps"] = ref
    if old is not None:
        inputs["old_per_token_logps"] = old
    theirs = trainer.compute_loss(trainer.model, inputs)
    theirs.backward()
    return theirs, gradients(trainer.model)


CASES = pytest.mark.parametrize(
    "beta, iterations",
    [(0.0, 1), (0.04, 1), (0.04, 2)],
    ids=["mu-1-no-kl", "mu-1-kl", "mu-2-kl-clipped"],
)


def reference_and_old(chat, batch, *, beta, iterations):
    """π_ref and π_old log-probs differing from π_θ by up to ±0.5 nats per token, so with μ > 1
    some ratios leave the clip range."""
    mask = batch.answer_mask.to(chat.model.dtype)
    with torch.no_grad():
        current = grpo.token_log_probs(chat.model, batch)
    ref = perturbed(current, mask, 0.5, seed=1) if beta else None
    old = perturbed(current, mask, 0.5, seed=2) if iterations > 1 else None
    return ref, old


@CASES
def test_loss_and_gradient_equal_trls_loss_code_exactly(
    chat, tokenizer, tmp_path, beta, iterations
):
    batch = packed_batch(chat.device, EQUAL_PROMPTS)
    ref, old = reference_and_old(chat, batch, beta=beta, iterations=iterations)
    ours, our_gradients = our_loss_and_gradients(chat, batch, old=old, ref=ref, beta=beta)
    if iterations > 1:
        assert 0 < ours.clipped < 1  # the clip is exercised, not vacuous
    trainer = trl_trainer(chat.model, tokenizer, tmp_path, beta=beta, iterations=iterations)
    full_logit_log_probs(trainer)
    theirs, their_gradients = their_loss_and_gradients(
        trainer, batch, tokenizer.pad_token_id, old=old, ref=ref
    )
    torch.testing.assert_close(ours.loss, theirs, rtol=1e-10, atol=1e-14)
    assert our_gradients.keys() == their_gradients.keys()
    assert len(our_gradients) == len(list(chat.model.parameters()))  # every weight trained
    for name, value in our_gradients.items():
        torch.testing.assert_close(value, their_gradients[name], rtol=1e-9, atol=1e-13, msg=name)


@CASES
def test_trls_fused_head_gives_our_loss_and_gradient_to_float32_accuracy(
    tokenizer, tmp_path, beta, iterations
):
    chat = from_model(tiny_llama(dtype=torch.float32), tokenizer)
    batch = packed_batch(chat.device)
    batch.advantages = batch.advantages.float()
    ref, old = reference_and_old(chat, batch, beta=beta, iterations=iterations)
    ours, our_gradients = our_loss_and_gradients(chat, batch, old=old, ref=ref, beta=beta)
    trainer = trl_trainer(chat.model, tokenizer, tmp_path, beta=beta, iterations=iterations)
    theirs, their_gradients = their_loss_and_gradients(
        trainer, batch, tokenizer.pad_token_id, old=old, ref=ref
    )
    torch.testing.assert_close(ours.loss, theirs, rtol=1e-5, atol=1e-6)
    for name, value in our_gradients.items():
        # Both in float32, summed in different orders: relative differences of a few float32
        # roundings amplified by the tiny model's conditioning (float32 against float64 of our
        # own gradient differs by up to 2e-5 here); a wrong term or weight is O(1).
        difference = torch.linalg.vector_norm(value - their_gradients[name])
        assert difference <= 1e-3 * torch.linalg.vector_norm(value), name


def test_group_advantages_are_trls_normalisation():
    from trl.trainer.utils import nanstd

    rewards = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.5], dtype=torch.float64)
    grouped = rewards.view(-1, 3)
    expected = (grouped - grouped.mean(1, keepdim=True)) / (nanstd(grouped, dim=1)[:, None] + 1e-4)
    torch.testing.assert_close(
        grpo.group_advantages(rewards, 3), expected.flatten(), rtol=0, atol=0
    )
    assert grpo.group_advantages(rewards, 3)[3:6].eq(0).all()  # equal rewards: no advantage


def test_token_log_probs_are_each_answer_tokens_log_probability_in_a_full_sequence(chat):
    batch = packed_batch(chat.device)
    found = grpo.token_log_probs(chat.model, batch)
    for i, answer in enumerate(ANSWERS):
        prompt = PROMPTS[i // SAMPLES]
        logits = chat.model(input_ids=torch.tensor([list(prompt) + list(answer)])).logits[0]
        full = torch.log_softmax(logits, dim=-1)
        expected = torch.stack([full[len(prompt) + j - 1, t] for j, t in enumerate(answer)])
        torch.testing.assert_close(found[i, : len(answer)], expected, rtol=1e-12, atol=1e-12)
        assert found[i, len(answer) :].eq(0).all()


def test_the_clipped_ratio_stops_the_gradient_beyond_one_plus_epsilon():
    # One token, advantage +1: at ratio 1.1 the loss is -ratio (gradient -1 per unit log π ratio);
    # at ratio 1.3 it is clipped to -1.2 and the gradient is 0.
    old = torch.zeros(1, 1, dtype=torch.float64)
    mask = torch.ones(1, 1)
    for log_ratio, expected in ((1.1, -1.1), (1.3, 0.0)):
        log_probs = torch.full((1, 1), float(torch.tensor(log_ratio).log()), requires_grad=True)
        parts = grpo.grpo_loss(log_probs, mask, torch.ones(1), old_log_probs=old)
        parts.loss.backward()
        assert float(log_probs.grad) == pytest.approx(expected)


def test_k3_is_zero_with_zero_gradient_at_the_reference_and_positive_elsewhere():
    ref = torch.tensor([[-1.0, -2.0]], dtype=torch.float64)
    mask = torch.ones(1, 2)
    at_ref = ref.clone().requires_grad_(True)
    parts = grpo.grpo_loss(at_ref, mask, torch.zeros(1), ref_log_probs=ref, beta=1.0)
    parts.loss.backward()
    assert parts.kl == 0.0 and at_ref.grad.eq(0).all()
    moved = grpo.grpo_loss(ref + 0.3, mask, torch.zeros(1), ref_log_probs=ref, beta=1.0)
    difference = torch.tensor(-0.3, dtype=torch.float64)
    assert moved.kl == pytest.approx(float(difference.exp() - difference - 1))


def test_each_epoch_deals_every_prompt_once_and_the_seed_decides_the_order():
    dealt = [grpo.epoch_order(5, 12, step, 4) for step in range(3)]
    assert sorted(sum(dealt, [])) == list(range(12))
    assert dealt == [grpo.epoch_order(5, 12, step, 4) for step in range(3)]
    assert dealt != [grpo.epoch_order(6, 12, step, 4) for step in range(3)]
    assert grpo.epoch_order(5, 12, 3, 4) != dealt[0]  # the next epoch is reshuffled


def test_settings_reject_unknown_choices():
    with pytest.raises(ValueError, match="optimizer"):
        grpo.Settings(optimizer="lion")
    with pytest.raises(ValueError, match="trained"):
        grpo.Settings(trained="attention")
    with pytest.raises(ValueError, match="G >= 2"):
        grpo.Settings(samples=1)
