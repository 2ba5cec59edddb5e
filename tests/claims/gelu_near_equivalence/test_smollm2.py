"""gelu-near-equivalence in a real chat model: SmolLM2-135M-Instruct's SwiGLU gates (S08-S10 beyond).

The runs are tests/claims/chat_runs.py's (the catalog's seeds and sizes; the REINFORCE loss at
the pretrained weights W_0 on the model's sampled answers to the training prompts); these tests
read only their attribution passes at W_0 (``attributed``: without the training when this
process has not run it; the ReLU control's whole run, two seeds, is cheap). Per seed the
attribution pass hooks every MLP (claims/experiments/chat/attribution.py) and, in check mode,
compares the hooked sum_t δ_t x_t with autograd's .grad entry by entry within the float32
rounding bound (a DecompositionError, an ERROR, otherwise).

Decision rules, as the statements say:
- smollm2-inactive-gradient-share: per seed with a policy gradient, the share of sum δ²‖x‖² over
  gate and up rows, all 30 layers, on (neuron, token) pairs with g < 0; HOLDS when the 95 %
  Student-t interval over seeds lies below 1 %, FAILS when it lies above, else INCONCLUSIVE.
- smollm2-relu-control-share-zero: with ReLU gates, that share is exactly 0.0 on every control
  seed (the sum over g < 0 compared with 0 bit for bit).
- smollm2-gates-nearly-clipped: pooled over the 30 layers and every seed's batch (the census
  needs no gradient), the share of g < 0 with |SiLU′(g)| ≤ 0.01 (autograd of the registry's SiLU)
  is at least NEARLY_ALL = 99 %; an exact count, no statistics.
Measurements are recorded before each decision, so a failing test still reports its numbers.
"""

from __future__ import annotations

import pytest
import torch

from claims.catalog.gelu_near_equivalence import NEARLY_ALL, SHARE_THRESHOLD
from claims.experiments.chat import figures, model
from claims.experiments.chat.attribution import HISTOGRAM_EDGES
from claims.instruments.statistics import decide_below, mean_interval
from tests.claims.chat_runs import (
    EPSILON,
    attributed,
    record_seeds,
    runs,
    silu_t,
    with_gradient,
)


def negative_share(split) -> float:
    """Σ over g < 0 of δ²‖x‖² / Σ over all pairs, gate and up rows, all layers (exact sums)."""
    total = split.gate_total.sum() + split.up_total.sum()
    return float((split.gate_negative.sum() + split.up_negative.sum()) / total)


@pytest.mark.claim("gelu-near-equivalence/smollm2-inactive-gradient-share", kind="real-model")
def test_smollm2_policy_gradient_through_closed_gates_is_under_one_percent(measurements):
    found = attributed("silu")
    record_seeds(measurements, found)
    kept = with_gradient(found)
    shares = [run.attribution.split.share_through_negative() for run in kept]
    interval = mean_interval(shares)
    measurements.record("share_mean", interval.mean, "fraction")
    measurements.record("share_ci95_low", interval.low, "fraction")
    measurements.record("share_ci95_high", interval.high, "fraction")
    measurements.record(
        "row_share_always_closed_mean",
        sum(run.attribution.split.row_share_inactive() for run in kept) / len(kept),
        "fraction",
    )
    measurements.table(
        "smollm2-gradient-share-per-seed",
        [
            "seed",
            "real tokens",
            "share of Σ δ²‖x‖² with g < 0",
            "always-closed neurons",
            "their share of ‖∂L/∂W_gate,up‖²",
        ],
        [
            [
                run.seed,
                run.attribution.census.tokens,
                share,
                int(run.attribution.inactive().sum()),
                run.attribution.split.row_share_inactive(),
            ]
            for run, share in zip(kept, shares, strict=True)
        ],
        digits=4,
    )
    negative = sum(
        r.attribution.split.gate_negative + r.attribution.split.up_negative for r in kept
    )
    total = sum(r.attribution.split.gate_total + r.attribution.split.up_total for r in kept)
    measurements.table(
        "smollm2-gradient-share-per-layer",
        ["layer", "share of Σ δ²‖x‖² with g < 0 (seeds pooled)"],
        [[layer, float(n / d)] for layer, (n, d) in enumerate(zip(negative, total, strict=True))],
        digits=4,
    )
    decide_below(
        interval,
        SHARE_THRESHOLD,
        what="SmolLM2-135M-Instruct: share of the policy gradient's MLP input-weight squared "
        "norm through closed gates (g < 0)",
    )


@pytest.mark.claim("gelu-near-equivalence/smollm2-relu-control-share-zero", kind="real-model")
def test_smollm2_with_relu_gates_passes_nothing_through_closed_gates(measurements):
    found = runs("relu")  # two seeds: the control's whole run costs little, and IC reads it too
    record_seeds(measurements, found)
    kept = with_gradient(found)
    rows = []
    for run in kept:
        split = run.attribution.split
        through_closed = float(split.gate_negative.sum() + split.up_negative.sum())
        rows.append(
            [run.seed, negative_share(split), through_closed, float(split.gate_total.sum())]
        )
    measurements.record("max_share", max(row[1] for row in rows), "fraction")
    measurements.table(
        "smollm2-relu-control-share",
        ["control seed", "share with g < 0", "Σ_{g<0} δ²‖x‖²", "Σ δ²‖x‖² (gate rows)"],
        rows,
        digits=4,
    )
    offending = [f"seed {row[0]}: Σ_{{g<0}} δ²‖x‖² = {row[2]!r}" for row in rows if row[2] != 0.0]
    assert not offending, "ReLU-gated SmolLM2 passes gradient through closed gates:\n" + "\n".join(
        offending
    )


@pytest.mark.claim("gelu-near-equivalence/smollm2-gates-nearly-clipped", kind="real-model")
def test_nearly_all_of_smollm2s_negative_gate_preactivations_are_clipped(measurements):
    runs = attributed("silu")
    record_seeds(measurements, runs)
    t = silu_t()
    censuses = [run.attribution.census for run in runs]
    layers = len(censuses[0].negative)
    negative = [sum(c.negative[i] for c in censuses) for i in range(layers)]
    sloped = [sum(c.negative_slope_above_epsilon[i] for c in censuses) for i in range(layers)]
    above_minus_t = [sum(c.negative_above_minus_t[i] for c in censuses) for i in range(layers)]
    pairs = sum(c.tokens for c in censuses) * censuses[0].neurons
    share_negative = sum(negative) / (pairs * layers)
    nearly_clipped = 1 - sum(sloped) / sum(negative)
    measurements.table("smollm2-weights", ["what", "value"], model.weights_provenance())
    measurements.record("t_0.01_used", t)
    measurements.record("tokens", sum(c.tokens for c in censuses), "count")
    measurements.record("share_negative", share_negative, "fraction")
    measurements.record("share_negative_nearly_clipped", nearly_clipped, "fraction")
    measurements.record(
        "share_negative_above_minus_t001", sum(above_minus_t) / sum(negative), "fraction"
    )
    measurements.table(
        "smollm2-gate-census-per-layer",
        [
            "layer",
            "share of g < 0",
            f"of those, |SiLU′(g)| ≤ {EPSILON}",
            f"of those, −t(0.01) < g (t = {t:.4f})",
        ],
        [
            [i, negative[i] / pairs, 1 - sloped[i] / negative[i], above_minus_t[i] / negative[i]]
            for i in range(layers)
        ],
        digits=4,
    )
    histogram = torch.stack([run.attribution.histogram for run in runs]).sum(0)
    measurements.figure(
        "smollm2-gate-preactivations",
        figures.gate_histograms(
            histogram,
            HISTOGRAM_EDGES,
            t,
            title=f"SmolLM2-135M-Instruct gate preactivations on the REINFORCE batches "
            f"({len(runs)} seeds, {sum(c.tokens for c in censuses)} tokens)",
        ),
    )
    assert nearly_clipped >= NEARLY_ALL, (
        f"SmolLM2-135M-Instruct: {share_negative:.1%} of gate preactivations are negative and "
        f"only {nearly_clipped:.2%} of those have |SiLU′(g)| ≤ {EPSILON} (asserted: at least "
        f"{NEARLY_ALL:.0%}); {sum(above_minus_t) / sum(negative):.1%} lie above −t(0.01) = {-t:.4f}"
    )
