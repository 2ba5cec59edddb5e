"""The chat-model runs as inactive-circuit-not-reinforced pre-registered them, for three claims.

gelu-near-equivalence (census, gradient share), inactive-circuit-not-reinforced (update ratios,
the ReLU control's exact stillness) and differential-reinforcement (held-out log-odds) read the
same runs: per gate, one ``experiment.reinforce_runs`` with the catalog's seeds, sizes and
learning rates (CHAT_* in claims/catalog/inactive_circuit_not_reinforced.py): the ci sizes, or
the THOROUGH ones under HYPOTHESIS_PROFILE=thorough. The model loads once per process and each
gate's runs are cached per process, so tests of the three claims in one process share them
(under xdist each worker that runs one recomputes the same numbers, bit for bit on CPU).
gelu-near-equivalence reads only the attribution passes at W_0 (``attributed``): the runs' when
this process has them, else the passes alone, without the training.

- "silu": SmolLM2-135M-Instruct as shipped; SGD, Adam, AdamW; CHAT_SEEDS.
- "relu": the ReLU-gated counterfactual (same weights); SGD and Adam; CHAT_CONTROL_SEEDS. Its
  answers are the SiLU model's for the same seed (experiment.py: the ReLU-gated network's own
  answers are gibberish that never earns a reward, so no seed would have a policy gradient).

The zero-advantage rule (the catalog's): a seed whose every advantage is 0 has no policy
gradient; it is left out of every measurement of the gradient or of training, and counted
(``record_seeds``); with no seed left such a measurement is an ERROR (NoSeedLeft). The census
does not depend on the gradient and counts every seed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from claims.catalog import inactive_circuit_not_reinforced as design
from claims.engine.profiles import selected_profile
from claims.experiments.chat import experiment
from claims.experiments.chat import model as chat_model
from claims.experiments.chat.attribution import Attribution, attribute
from claims.experiments.chat.experiment import SeedRun
from claims.experiments.chat.sampling import Rollouts
from claims.instruments import certified

EPSILON = 0.01
GATES = {"silu": ("sgd", "adam", "adamw"), "relu": ("sgd", "adam")}
# Catalog optimizer labels ("AdamW") -> instrument keys ("adamw").
OPTIMIZER_KEYS = {label: key for key, label in design.OPTIMIZERS.items()}
LEARNING_RATES = {
    "sgd": design.CHAT_LR_SGD,
    "adam": design.CHAT_LR_ADAM,
    "adamw": design.CHAT_LR_ADAMW,
}


class NoSeedLeft(RuntimeError):
    """Every seed of a measurement lacked a policy gradient: an ERROR, never a finding."""


def sizes(profile: str | None = None) -> experiment.Size:
    """The catalog's sizes: THOROUGH under the thorough profile, else the ci ones."""
    if (profile or selected_profile()) == "thorough":
        return experiment.Size(
            design.CHAT_THOROUGH_SEEDS,
            design.CHAT_THOROUGH_CONTROL_SEEDS,
            design.CHAT_THOROUGH_TRAIN_PROMPTS,
            design.CHAT_THOROUGH_HELDOUT_PROMPTS,
            design.CHAT_THOROUGH_SAMPLES,
            design.CHAT_MAX_NEW_TOKENS,
            design.CHAT_THOROUGH_STEPS,
        )
    return experiment.Size(
        design.CHAT_SEEDS,
        design.CHAT_CONTROL_SEEDS,
        design.CHAT_TRAIN_PROMPTS,
        design.CHAT_HELDOUT_PROMPTS,
        design.CHAT_SAMPLES,
        design.CHAT_MAX_NEW_TOKENS,
        design.CHAT_STEPS,
    )


@functools.cache
def chat() -> chat_model.ChatModel:
    """SmolLM2-135M-Instruct from the build/ cache (dequantized from the GGUF on first use)."""
    return chat_model.load()


@functools.cache
def silu_t() -> float:
    """SiLU's certified t(0.01), upper end: |SiLU′(g)| ≤ 0.01 for every g ≤ −t."""
    try:
        return float(certified.tail_threshold("silu", EPSILON).upper)
    except certified.NotCertified as error:
        # It only places the census; an uncertifiable threshold is an ERROR of the measurement,
        # never a counterexample to what the propositions assert.
        raise RuntimeError(f"t(0.01) for SiLU not certified: {error}") from error


# Per process: each gate's runs, and its attribution passes when they ran without training.
_RUNS: dict[str, tuple[SeedRun, ...]] = {}
_ATTRIBUTED: dict[str, tuple[Attributed, ...]] = {}


@dataclass(frozen=True)
class Attributed:
    """A seed's attribution pass at W_0 without the training (what SeedRun holds before it)."""

    seed: int
    rollouts: Rollouts
    attribution: Attribution

    @property
    def has_gradient(self) -> bool:
        return experiment.has_policy_gradient(self.rollouts)


def _common() -> dict:
    size = sizes()
    return {
        "train_prompts": size.train_prompts,
        "samples": size.samples,
        "max_new_tokens": size.max_new_tokens,
        "sample_gate": "silu",
    }


def runs(gate: str) -> tuple[SeedRun, ...]:
    """Every seed of ``gate``'s run (with and without a policy gradient), in seed order."""
    if gate not in _RUNS:
        size, model = sizes(), chat()
        with chat_model.using_gate(model, gate):
            _RUNS[gate] = tuple(
                experiment.reinforce_runs(
                    model,
                    seeds=seeds(gate),
                    optimizers=GATES[gate],
                    steps=size.steps,
                    heldout_prompts=size.heldout_prompts,
                    lr={o: LEARNING_RATES[o] for o in GATES[gate]},
                    epsilon=EPSILON,
                    t=silu_t(),
                    check=True,
                    **_common(),
                )
            )
    return _RUNS[gate]


def attributed(gate: str) -> tuple[SeedRun | Attributed, ...]:
    """Every seed's attribution pass at W_0: the runs' when this process has them, else the
    passes alone (the same calls on the same batches, so the same numbers bit for bit), which
    is all gelu-near-equivalence reads and a third of the runs' cost."""
    if gate in _RUNS:
        return _RUNS[gate]
    if gate not in _ATTRIBUTED:
        model, found = chat(), []
        with chat_model.using_gate(model, gate):
            for seed in seeds(gate):
                rollouts, batch = experiment.rollout_batch(model, seed=seed, **_common())
                found.append(
                    Attributed(
                        seed,
                        rollouts,
                        attribute(model, batch, epsilon=EPSILON, t=silu_t(), check=True),
                    )
                )
                found[-1].attribution.gradient = None  # not needed: no training follows
        _ATTRIBUTED[gate] = tuple(found)
    return _ATTRIBUTED[gate]


def seeds(gate: str) -> tuple[int, ...]:
    return sizes().seeds if gate == "silu" else sizes().control_seeds


def with_gradient(found: Sequence[SeedRun | Attributed]) -> list:
    """The seeds that have a policy gradient; NoSeedLeft when none has."""
    kept = [run for run in found if run.has_gradient]
    if not kept:
        raise NoSeedLeft(
            f"none of the {len(found)} seeds has a policy gradient "
            "(every sampled answer earned its prompt's mean reward)"
        )
    return kept


def record_seeds(measurements, found: Sequence[SeedRun | Attributed]) -> None:
    """Seeds run, seeds the zero-advantage rule left out, and the check against autograd."""
    measurements.record("seeds", len(found), "count")
    measurements.record(
        "seeds_without_policy_gradient", sum(not run.has_gradient for run in found), "count"
    )
    # Largest |autograd − hooked Σ δ x| over its float32 rounding bound, every seed (≤ 1, or
    # the pass raised DecompositionError).
    measurements.record(
        "max_decomposition_error_to_float32_bound",
        max(run.attribution.check_ratio for run in found),
    )
