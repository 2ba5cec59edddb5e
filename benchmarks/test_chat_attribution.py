"""SmolLM2-135M-Instruct: the attribution pass vs a plain forward and backward of the same batch.

Run with `make bench`. Timings are reported, never asserted (shared machines are noisy); the test
asserts only that the attribution pass computes the plain pass's gradient bit for bit. The batch
is 8 sequences x 64 tokens (a 48-token prompt and a 16-token answer each, K = 1, seeded token
ids), trained weights the MLPs'. Every timed pass is warmed up first. extra_info holds:
  overhead            attribution seconds / plain seconds (target <= 1.3)
  overhead_with_check the attribution pass as the suite runs it (check=True: the hooked
                      decomposition compared with autograd entry by entry) / plain seconds
  tokens_per_second   of the plain forward and backward
  peak_rss_mb         the process's peak resident memory (resource.getrusage)
  load_seconds        loading the model from the build/ cache
  sample_seconds_per_answer, step_seconds_<optimizer>: 8 answers of <= 16 tokens to 2 training
                      prompts; one REINFORCE step (its own forward and backward) per optimizer
With timing disabled (`make test`) it runs on the first 2 layers, only for the equality check.
"""

import resource
import time

import torch

from claims.experiments.chat import model as chat_model
from claims.experiments.chat import prompts, reinforce
from claims.experiments.chat.attribution import attribute
from claims.experiments.chat.sampling import Rollouts, sample_rollouts

SEQUENCES, PROMPT_TOKENS, ANSWER_TOKENS = 8, 48, 16
OPTIMIZERS = ("sgd", "adam", "adamw")
ROUNDS = 3


def fixed_batch(chat: chat_model.ChatModel) -> reinforce.Batch:
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(100, 40000, (SEQUENCES, PROMPT_TOKENS + ANSWER_TOKENS), generator=generator)
    rollouts = Rollouts(
        seed=0,
        samples=1,
        instructions=("",) * SEQUENCES,
        prompt_ids=tuple(tuple(row[:PROMPT_TOKENS].tolist()) for row in ids),
        completion_ids=tuple(tuple(row[PROMPT_TOKENS:].tolist()) for row in ids),
        texts=("",) * SEQUENCES,
        rewards=(0.0,) * SEQUENCES,
        sample_log_probs=(0.0,) * SEQUENCES,
    )
    batch = reinforce.make_batch(rollouts, chat.device)
    # K = 1 has no group baseline; fixed signs give every sequence a gradient.
    batch.advantages = torch.tensor([1.0, -1.0] * (SEQUENCES // 2), device=chat.device)
    return batch


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def test_attribution_pass_matches_and_costs_little_more_than_a_plain_pass(benchmark):
    chat = chat_model.load(layers=2 if benchmark.disabled else None)
    batch = fixed_batch(chat)
    plain = reinforce.gradient(chat, batch)
    # Three rounds: one pass takes seconds on two CPU cores.
    attributed = benchmark.pedantic(
        lambda: attribute(chat, batch), rounds=ROUNDS, iterations=1, warmup_rounds=1
    )
    for name, grad in plain.weights.items():
        assert torch.equal(attributed.gradient.weights[name], grad), name
    if benchmark.disabled:
        return
    plain_seconds = sum(seconds(lambda: reinforce.gradient(chat, batch)) for _ in range(ROUNDS))
    plain_seconds /= ROUNDS
    info = benchmark.extra_info
    info["overhead"] = benchmark.stats.stats.mean / plain_seconds
    attribute(chat, batch, check=True)  # warm-up
    checked = sum(seconds(lambda: attribute(chat, batch, check=True)) for _ in range(ROUNDS))
    info["overhead_with_check"] = checked / ROUNDS / plain_seconds
    info["plain_seconds"] = plain_seconds
    info["tokens_per_second"] = SEQUENCES * (PROMPT_TOKENS + ANSWER_TOKENS) / plain_seconds
    info["load_seconds"] = chat.provenance["load_seconds"]
    info["threads"] = torch.get_num_threads()
    train = prompts.split("train", 2)
    info["sample_seconds_per_answer"] = (
        seconds(lambda: sample_rollouts(chat, train, seed=0, samples=4, use_cache=False)) / 8
    )
    for optimizer in OPTIMIZERS:

        def one_step(optimizer=optimizer):
            with reinforce.trained(chat, batch, optimizer, steps=1):
                pass

        info[f"step_seconds_{optimizer}"] = seconds(one_step)
    info["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
