"""Log-odds of the target token and the checkpoint argument (claims.experiments.tiny_transformer)."""

import pytest
import torch

from claims.experiments import tiny_transformer as tt


def direct_log_odds(logits: torch.Tensor, token: int) -> torch.Tensor:
    p = torch.softmax(logits.double(), dim=-1)[..., token]
    return torch.log(p) - torch.log1p(-p)


def test_log_odds_match_a_direct_computation_from_probabilities():
    logits = torch.randn(3, 7, tt.VOCAB, generator=torch.Generator().manual_seed(1)) * 3
    expected = direct_log_odds(logits, tt.TARGET)
    torch.testing.assert_close(tt.log_odds(logits.double(), tt.TARGET), expected)
    torch.testing.assert_close(
        tt.log_odds(logits, tt.TARGET).double(), expected, rtol=1e-5, atol=1e-5
    )


def test_log_odds_stay_finite_where_the_probability_rounds_to_one():
    logits = torch.zeros(tt.VOCAB, dtype=torch.float32)
    logits[tt.TARGET] = 60.0  # p = 1 - 11·e^-60 rounds to 1 in float32: log(1 - p) = -inf
    assert torch.isinf(direct_log_odds(logits.float(), tt.TARGET).float())
    value = tt.log_odds(logits, tt.TARGET).item()
    assert value == pytest.approx(60.0 - torch.log(torch.tensor(11.0)).item(), abs=1e-5)


def test_evaluate_records_the_mean_log_odds_over_each_kinds_prompts():
    seeds = (0, 1)
    params = tt.init_parameters("relu", seeds)
    data = tt.draw_randomness(seeds, rl_steps=1)
    evaluation = tt.evaluate(params, "relu", data)
    for kind, (tokens, _) in data.evaluation.items():
        logits = tt.last_logits(params, tokens, "relu")
        expected = direct_log_odds(logits, tt.TARGET).mean(dim=1)
        torch.testing.assert_close(
            evaluation.log_odds_target[kind].double(), expected, rtol=1e-5, atol=1e-5
        )


def test_fewer_rl_steps_draw_a_prefix_and_more_an_extension_of_the_same_randomness():
    seeds = (3,)
    default = tt.draw_randomness(seeds)
    short, long = tt.draw_randomness(seeds, 4), tt.draw_randomness(seeds, 45)
    assert default.rl_tokens.shape[1] == tt.RL_MAIN_STREAM == max(tt.CHECKPOINTS)
    assert long.rl_tokens.shape[1] == 45 and long.rl_uniforms.shape[1] == 45
    assert torch.equal(short.rl_tokens, default.rl_tokens[:, :4])
    assert torch.equal(long.rl_tokens[:, :30], default.rl_tokens)
    assert torch.equal(long.rl_uniforms[:, :30], default.rl_uniforms)
    assert not torch.equal(long.rl_tokens[:, 30:45], long.rl_tokens[:, 0:15])
    for kind in tt.KINDS:
        assert torch.equal(short.evaluation[kind][0], long.evaluation[kind][0])
        assert torch.equal(short.evaluation[kind][0], default.evaluation[kind][0])


@pytest.mark.parametrize("checkpoints", [(), (3, 1), (0, 2), (2, 2)])
def test_run_refuses_checkpoints_that_are_not_increasing_positive_counts(checkpoints):
    with pytest.raises(ValueError, match="checkpoints"):
        tt.run("relu", (0,), checkpoints)


def test_a_short_run_evaluates_at_its_checkpoints_and_reports_delta_log_odds():
    run = tt.run("relu", (0,), checkpoints=(1, 2))
    assert sorted(run.checkpoints) == [1, 2]
    assert run.after is run.checkpoints[2]  # RL_STEPS is not a checkpoint: the last one
    for kind in tt.KINDS:
        delta = run.delta_log_odds(kind, 2)
        expected = run.checkpoints[2].log_odds_target[kind] - run.before.log_odds_target[kind]
        assert torch.equal(delta, expected) and torch.isfinite(delta).all()
