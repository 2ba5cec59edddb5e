"""SmolLM2-135M-Instruct: one GRPO step, and its training pass against the machine's fp32 peak.

Run with `make bench`. Timings are reported, never asserted; the test asserts only that a GRPO
step is reproducible (two runs from the same weights and seed end bit for bit equal). All timed
work is warmed up first. The machine's fp32 matmul peak is measured in the same run (a square
float32 matmul of side PEAK_SIDE on the threads torch uses), and the training pass's FLOPs are
counted by torch.utils.flop_counter.FlopCounterMode (matmuls and attention, forward and
backward). extra_info holds:
  step_seconds          one more GRPO step of a run (a 3-step run's time less a 1-step run's,
                        halved: the copies of W_0 a run makes once are not a step's cost):
                        sample G answers to P prompts, reference pass, loss forward and
                        backward with the probe, clip, AdamW over every weight
  sample_seconds, update_seconds   its sampling, and the rest (reference, loss, optimizer)
  pass_seconds          the loss forward and backward alone, on the step's batch
  tokens_per_second     real tokens of that pass / pass_seconds
  pass_flops, achieved_flops_per_second, peak_flops_per_second, share_of_peak
  threads
With timing disabled (`make test`) it runs on the first 2 layers, for the reproducibility check.
"""

import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from claims.experiments.chat import grpo, grpo_run, pool
from claims.experiments.chat import model as chat_model
from claims.experiments.chat.attribution import MLPProbe

SETTINGS = grpo.Settings(prompts_per_step=2, samples=4, max_new_tokens=16, lr=1e-5)
PEAK_SIDE = 1024
ROUNDS = 3


def peak_flops_per_second(side: int = PEAK_SIDE, rounds: int = 10) -> float:
    """2 side^3 / seconds of a float32 matmul, best of ``rounds`` after a warm-up."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(side, side, generator=generator)
    b = torch.randn(side, side, generator=generator)
    torch.mm(a, b)
    best = min(_seconds(lambda: torch.mm(a, b)) for _ in range(rounds))
    return 2 * side**3 / best


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def one_step(chat, seed: int = 0, steps: int = 1):
    """A fresh copy of ``chat`` after ``steps`` GRPO steps (the copy, and the last record)."""
    trained = grpo_run.clone(chat)
    run = grpo_run.run_grpo(trained, pool.split("train"), SETTINGS, seed=seed, steps=steps)
    return trained, run.steps[-1]


def test_a_grpo_step_is_reproducible_and_its_cost_is_measured(benchmark):
    chat = chat_model.load(layers=2 if benchmark.disabled else None)
    first, _ = benchmark.pedantic(lambda: one_step(chat), rounds=1, iterations=1, warmup_rounds=1)
    again, record = one_step(chat)
    assert grpo_run.parameters_equal(first, again)
    if benchmark.disabled:
        return
    info = benchmark.extra_info
    info["threads"] = torch.get_num_threads()
    single = _seconds(lambda: one_step(chat))
    info["step_seconds"] = (_seconds(lambda: one_step(chat, steps=3)) - single) / 2
    train = pool.split("train")
    prompts = [train[i] for i in grpo.epoch_order(0, len(train), 0, SETTINGS.prompts_per_step)]
    sampled = grpo.sample_step(chat, prompts, seed=0, step=0, settings=SETTINGS)
    sample_seconds = _seconds(
        lambda: grpo.sample_step(chat, prompts, seed=0, step=0, settings=SETTINGS)
    )
    info["sample_seconds"] = sample_seconds
    info["update_seconds"] = info["step_seconds"] - sample_seconds
    batch = sampled.batch
    tokens = int(batch.prompt_mask.sum() + batch.answer_mask.sum())

    def training_pass():
        probe = MLPProbe(chat, epsilon=0.01)
        with probe:
            log_probs = grpo.token_log_probs(chat.model, batch, on_pass=probe.set_mask)
            grpo.grpo_loss(log_probs, batch.answer_mask, batch.advantages).loss.backward()
        chat.model.zero_grad(set_to_none=True)

    training_pass()
    pass_seconds = sum(_seconds(training_pass) for _ in range(ROUNDS)) / ROUNDS
    counter = FlopCounterMode(display=False)
    with counter:
        training_pass()
    peak = peak_flops_per_second()
    info["pass_seconds"] = pass_seconds
    info["tokens_per_second"] = tokens / pass_seconds
    info["pass_flops"] = counter.get_total_flops()
    info["achieved_flops_per_second"] = counter.get_total_flops() / pass_seconds
    info["peak_flops_per_second"] = peak
    info["share_of_peak"] = info["achieved_flops_per_second"] / peak
    info["reward"] = record.reward
