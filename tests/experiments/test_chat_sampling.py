"""Seeded hand-rolled sampling: reproducible, exact log-probabilities, stops, the JSON cache."""

import json

import pytest
import torch

from claims.experiments.chat import prompts, reinforce, sampling
from claims.experiments.chat.sampling import inverse_cdf, sample_rollouts

PROMPTS = prompts.split("train", 3)


def test_inverse_cdf_picks_the_first_token_whose_cumulative_probability_exceeds_u():
    probabilities = torch.tensor([0.5, 0.0, 0.25, 0.25], dtype=torch.float64)
    log_probs = probabilities.log().expand(6, -1)
    uniforms = torch.tensor([0.0, 0.1, 0.5, 0.74, 0.75, 0.999], dtype=torch.float64)
    # 0.5 lands on the boundary of token 0 and goes on; token 1 (probability 0) is never drawn.
    assert inverse_cdf(log_probs, uniforms).tolist() == [0, 0, 2, 2, 3, 3]


def test_the_same_seed_draws_the_same_answers_and_another_seed_others(tiny_chat):
    first = sample_rollouts(tiny_chat, PROMPTS, seed=3, samples=2, max_new_tokens=5)
    again = sample_rollouts(tiny_chat, PROMPTS, seed=3, samples=2, max_new_tokens=5)
    other = sample_rollouts(tiny_chat, PROMPTS, seed=4, samples=2, max_new_tokens=5)
    assert first == again
    assert first.completion_ids != other.completion_ids
    assert len(first.completion_ids) == len(first.rewards) == 3 * 2
    assert first.instructions == tuple(p.instruction for p in PROMPTS)


def test_sampled_log_probabilities_equal_the_training_passes(tiny_chat):
    rollouts = sample_rollouts(tiny_chat, PROMPTS, seed=0, samples=3, max_new_tokens=6)
    batch = reinforce.make_batch(rollouts, tiny_chat.device)
    recomputed = reinforce.answer_log_probs(tiny_chat.model, batch)
    torch.testing.assert_close(
        recomputed,
        torch.tensor(rollouts.sample_log_probs, dtype=torch.float64),
        rtol=1e-10,
        atol=1e-10,
    )


def test_sampling_all_prompts_together_draws_what_each_prompt_alone_draws(tiny_chat):
    ids = [sampling.prompt_ids(tiny_chat.tokenizer, p.instruction) for p in PROMPTS]
    uniforms = torch.rand(6, 5, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    together, together_log_probs = sampling._sample_answers(tiny_chat, ids, uniforms)
    alone = []
    for p, prompt in enumerate(ids):
        alone += sampling._sample_answers(tiny_chat, [prompt], uniforms[2 * p : 2 * p + 2])[0]
    assert together == alone


def test_an_answer_ends_at_its_first_stop_token_or_at_the_length_limit(tiny_chat, monkeypatch):
    # Half the vocabulary stops, so most rows stop early and some run to the limit.
    monkeypatch.setattr(sampling, "stop_ids", lambda tokenizer: set(range(24576)))
    rollouts = sample_rollouts(tiny_chat, PROMPTS, seed=0, samples=4, max_new_tokens=4)
    lengths = [len(answer) for answer in rollouts.completion_ids]
    assert min(lengths) < 4
    for answer in rollouts.completion_ids:
        assert all(token >= 24576 for token in answer[:-1])
        assert answer[-1] < 24576 or len(answer) == 4


def test_the_real_templates_stop_tokens_are_end_of_turn_and_end_of_text(tokenizer):
    assert sampling.stop_ids(tokenizer) == {0, 2}


def test_rollouts_are_cached_per_seed_as_json(tiny_chat, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_BUILD_DIR", str(tmp_path))
    tiny_chat.provenance["gguf_sha256"] = "tiny-test-model"
    first = sample_rollouts(tiny_chat, PROMPTS, seed=5, samples=2, max_new_tokens=3)
    (path,) = (tmp_path / sampling.ROLLOUT_FOLDER).glob("*/seed-5.json")
    assert json.loads(path.read_text())["completion_ids"] == [list(a) for a in first.completion_ids]
    monkeypatch.setattr(sampling, "_sample_answers", _no_sampling)  # a cache hit never samples
    assert sample_rollouts(tiny_chat, PROMPTS, seed=5, samples=2, max_new_tokens=3) == first
    with pytest.raises(AssertionError, match="sampled"):  # a different size is a different key
        sample_rollouts(tiny_chat, PROMPTS, seed=5, samples=3, max_new_tokens=3)


def _no_sampling(*args):
    raise AssertionError("sampled although the rollouts were cached")


def test_a_model_without_a_gguf_identity_is_never_cached(tiny_chat, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_BUILD_DIR", str(tmp_path))
    sample_rollouts(tiny_chat, PROMPTS, seed=5, samples=2, max_new_tokens=3)
    assert not (tmp_path / sampling.ROLLOUT_FOLDER).exists()


def test_step_uniforms_depend_on_seed_and_step_only():
    first = sampling.step_uniforms(3, 7, rows=4, length=5)
    assert first.dtype == torch.float64 and first.device.type == "cpu"
    assert torch.equal(first, sampling.step_uniforms(3, 7, rows=4, length=5))
    assert not torch.equal(first, sampling.step_uniforms(3, 8, rows=4, length=5))
    assert not torch.equal(first, sampling.step_uniforms(4, 7, rows=4, length=5))
    # A step's draws never depend on what an earlier step drew (its own generator).
    assert torch.equal(sampling.step_uniforms(3, 7, rows=2, length=5), first[:2])


def test_sample_answers_takes_only_cpu_float64_uniforms(tiny_chat):
    ids = [sampling.prompt_ids(tiny_chat.tokenizer, p.instruction) for p in PROMPTS]
    with pytest.raises(ValueError, match="float64 on the CPU"):
        sampling.sample_answers(tiny_chat, ids, torch.rand(6, 4))
    with pytest.raises(ValueError, match="do not split"):
        sampling.sample_answers(tiny_chat, ids, torch.rand(5, 4, dtype=torch.float64))


def test_the_rollout_cache_key_does_not_depend_on_the_device(tiny_chat):
    import dataclasses

    tiny_chat.provenance["gguf_sha256"] = "tiny-test-model"
    on_gpu = dataclasses.replace(tiny_chat, device=torch.device("cuda"))
    key = sampling._cache_path(tiny_chat, PROMPTS, 1, 2, 3)
    assert key is not None and key == sampling._cache_path(on_gpu, PROMPTS, 1, 2, 3)
