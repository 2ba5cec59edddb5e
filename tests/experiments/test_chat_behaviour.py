"""The controlled behaviour measure and its minimum detectable effect; chunked log-odds."""

import math

import pytest
import torch
from scipy import stats

from claims.experiments.chat import behaviour, heldout, pool
from claims.experiments.chat.model import from_model
from tests.common.tiny_llama import tiny_llama

BEFORE = {"heldout": [0.0, 1.0, -1.0, 2.0], "control": [0.5, 0.5, 1.5]}
AFTER = {"heldout": [1.0, 2.5, 0.0, 2.5], "control": [0.5, 1.0, 1.0]}


def test_the_effect_is_the_held_out_change_minus_the_control_change_with_welchs_interval():
    found = behaviour.controlled_change(BEFORE, AFTER)
    heldout_delta, control_delta = [1.0, 1.5, 1.0, 0.5], [0.0, 0.5, -0.5]
    assert found.heldout_change == pytest.approx(1.0) and found.control_change == pytest.approx(0.0)
    assert found.effect == pytest.approx(1.0)
    welch = stats.ttest_ind(heldout_delta, control_delta, equal_var=False)
    low, high = welch.confidence_interval(0.95)
    assert (found.low, found.high) == pytest.approx((low, high))
    assert found.low < found.effect < found.high
    assert found.heldout_sd == pytest.approx(torch.tensor(heldout_delta).std().item())


def test_mismatched_or_non_finite_snapshots_are_refused():
    with pytest.raises(ValueError, match="prompts before"):
        behaviour.controlled_change(BEFORE, {"heldout": [1.0], "control": AFTER["control"]})
    broken = {"heldout": [math.inf, 1.0, 1.0, 1.0], "control": AFTER["control"]}
    with pytest.raises(ValueError, match="finite"):
        behaviour.controlled_change(BEFORE, broken)


def test_the_minimum_detectable_effect_is_close_to_the_normal_approximation():
    # (z_0.975 + z_0.8) * sd * sqrt(1/n1 + 1/n2), slightly smaller than the t-based value.
    found = behaviour.minimum_detectable_effect(1.0, 64, 1.0, 64)
    normal = (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * math.sqrt(2 / 64)
    assert normal < found < 1.02 * normal
    assert behaviour.minimum_detectable_effect(2.0, 64, 2.0, 64) == pytest.approx(2 * found)
    assert behaviour.minimum_detectable_effect(1.0, 256, 1.0, 256) < found / 1.9


def test_log_odds_in_chunks_equal_one_call(tokenizer, monkeypatch):
    chat = from_model(tiny_llama(dtype=torch.float64), tokenizer)
    prompts = pool.split("heldout", 5)
    whole = heldout.answer_log_odds(chat, prompts).tolist()
    monkeypatch.setattr(behaviour, "CHUNK", 2)
    assert behaviour.log_odds(chat, prompts) == pytest.approx(whole, rel=1e-12)


def test_by_kind_averages_per_prompt_kind():
    prompts = pool.spread("train", 16)
    values = [float(i) for i in range(16)]
    found = behaviour.by_kind(prompts, values)
    kinds = {p.kind for p in prompts}
    assert set(found) == kinds
    first = prompts[0].kind
    mine = [v for p, v in zip(prompts, values, strict=True) if p.kind == first]
    assert found[first] == pytest.approx(sum(mine) / len(mine))
