"""Batched REINFORCE trainer vs a per-seed loop on the same work (64 seeds, one factorial cell).

Run with `make bench`. Timing is reported, never asserted (shared machines are noisy); the test
asserts only that both compute the same parameters. `extra_info["speedup"]` holds the ratio of
the loop's time to the batched time, both measured in this one run.
"""

import time

import torch

from claims.experiments.policies import Schedule, TwinDesign, train

SEEDS = range(64)
DESIGN = TwinDesign("gelu", "private")
SCHEDULE = Schedule(steps=40, batch=32)


def looped() -> dict[str, torch.Tensor]:
    runs = [train(DESIGN, "adam", [seed], SCHEDULE).final for seed in SEEDS]
    return {name: torch.cat([run[name] for run in runs]) for name in runs[0]}


def test_batched_trainer_matches_and_outpaces_a_per_seed_loop(benchmark):
    start = time.perf_counter()
    loop_result = looped()
    loop_seconds = time.perf_counter() - start
    batched = benchmark(lambda: train(DESIGN, "adam", SEEDS, SCHEDULE).final)
    for name, value in batched.items():
        torch.testing.assert_close(value, loop_result[name], rtol=1e-12, atol=1e-14)
    batched_seconds = benchmark.stats.stats.mean if benchmark.stats else None
    benchmark.extra_info["loop_seconds"] = loop_seconds
    if batched_seconds:
        benchmark.extra_info["speedup"] = loop_seconds / batched_seconds
