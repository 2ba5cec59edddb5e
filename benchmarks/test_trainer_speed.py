"""Batched REINFORCE trainer vs torch.func.vmap(grad) and a per-seed loop (64 seeds, one cell).

Run with `make bench`. Timing is reported, never asserted (shared machines are noisy); the test
asserts only that the three compute the same parameters. Every side is warmed up once (first
calls pay for allocation and kernel selection) and then timed over ROUNDS runs, all in this one
run. extra_info holds:
  speedup        per-seed loop seconds / batched seconds
  vmap_speedup   vmap(grad) seconds / batched seconds
  loop_seconds, vmap_seconds (means over ROUNDS)
"""

import time

import torch
from torch.func import grad, vmap

from claims.experiments.policies import (
    REWARDED_ACTION,
    Schedule,
    TwinDesign,
    draw_randomness,
    initial_parameters,
    logits,
    reinforce_loss,
    train,
)
from claims.instruments.optimizers import OPTIMIZERS

SEEDS = range(64)
DESIGN = TwinDesign("gelu", "private")
SCHEDULE = Schedule(steps=40, batch=32)
ROUNDS = 3


def looped() -> dict[str, torch.Tensor]:
    runs = [train(DESIGN, "adam", [seed], SCHEDULE).final for seed in SEEDS]
    return {name: torch.cat([run[name] for run in runs]) for name in runs[0]}


def one_seed_loss(params, prompts, uniforms):
    """The batched loss of a single seed: its parameters and data given a seed axis of 1."""
    batched = {name: value[None] for name, value in params.items()}
    log_probs = torch.log_softmax(logits(batched, prompts[None], DESIGN), dim=-1)
    return reinforce_loss(log_probs, uniforms[None], REWARDED_ACTION)


def vmapped() -> dict[str, torch.Tensor]:
    """The batched trainer's steps with each seed's gradient from vmap(grad) of its own loss;
    torch's Adam is elementwise, so one optimizer over the stacked parameters is per-seed Adam."""
    params = {n: v.clone() for n, v in initial_parameters(DESIGN, SEEDS, None).items()}
    rule = OPTIMIZERS["adam"](list(params.values()))
    all_prompts, uniforms = draw_randomness(DESIGN, SCHEDULE, SEEDS)
    per_seed = vmap(grad(one_seed_loss))
    for t in range(SCHEDULE.steps):
        grads = per_seed(params, all_prompts[:, t], uniforms[:, t])
        for name, value in params.items():
            value.grad = grads[name]
        rule.step()
    return {name: value.detach() for name, value in params.items()}


def mean_seconds(function, rounds: int = ROUNDS) -> float:
    function()  # warm-up
    start = time.perf_counter()
    for _ in range(rounds):
        function()
    return (time.perf_counter() - start) / rounds


def test_batched_trainer_matches_and_outpaces_vmap_grad_and_a_per_seed_loop(benchmark):
    batched = benchmark.pedantic(
        lambda: train(DESIGN, "adam", SEEDS, SCHEDULE).final,
        rounds=ROUNDS,
        iterations=1,
        warmup_rounds=1,
    )
    loop_result, vmap_result = looped(), vmapped()
    for name, value in batched.items():
        torch.testing.assert_close(value, loop_result[name], rtol=1e-12, atol=1e-14)
        torch.testing.assert_close(value, vmap_result[name], rtol=1e-12, atol=1e-14)
    if benchmark.disabled:
        return
    batched_seconds = benchmark.stats.stats.mean
    info = benchmark.extra_info
    info["loop_seconds"] = mean_seconds(looped)
    info["vmap_seconds"] = mean_seconds(vmapped)
    info["speedup"] = info["loop_seconds"] / batched_seconds
    info["vmap_speedup"] = info["vmap_seconds"] / batched_seconds
