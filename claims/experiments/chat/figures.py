"""Figures of the chat-model experiment: gate preactivations per layer, update size vs activity.

Bare matplotlib Figures on an Agg canvas (no pyplot: no global backend, no figure registry; the
pattern of claims/experiments/reinforcement_figures.py); the caller hands each one to
``measurements.figure`` and drops it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from claims.experiments.chat.experiment import PARTS, SeedRun, update_by_activity

# Activity bins of the update-vs-activity figure (the first is activity == 0: never open).
ACTIVITY_EDGES = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
PART_LABELS = {"gate_rows": "gate rows", "up_rows": "up rows", "down_columns": "down columns"}


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def gate_histograms(
    histogram: torch.Tensor, edges: Sequence[float], t: float, *, title: str, columns: int = 5
) -> Any:
    """One small histogram of g per layer (share of the layer's pairs per bin), ±t marked.

    histogram: [layers, len(edges) + 1] counts, the end bins holding g < edges[0] and
    g >= edges[-1] (attribution.LayerTally.histogram); the end bins are left out of the bars and
    their share is written in each panel.
    """
    layers = histogram.shape[0]
    rows = math.ceil(layers / columns)
    figure = _figure(2.1 * columns, 1.35 * rows + 0.8)
    panels = figure.subplots(rows, columns, sharex=True, squeeze=False)
    counts = histogram.double()
    for layer in range(rows * columns):
        axes = panels[layer // columns][layer % columns]
        if layer >= layers:
            axes.set_visible(False)
            continue
        total = float(counts[layer].sum())
        share = (counts[layer] / total).numpy()
        axes.stairs(share[1:-1], list(edges), fill=True, color="tab:blue", alpha=0.7)
        for x in (-t, t):
            axes.axvline(x, color="tab:red", linestyle="--", linewidth=0.8)
        axes.axvline(0.0, color="black", linewidth=0.5)
        negative = float(counts[layer, : _first_nonnegative_bin(edges)].sum()) / total
        outside = float(share[0] + share[-1])
        axes.set_title(
            f"layer {layer}: {negative:.0%} < 0, {outside:.1%} off-axis", fontsize=6.5, pad=2
        )
        axes.tick_params(labelsize=5.5)
        axes.set_yticks([])
    figure.suptitle(
        f"{title}\nshare of (neuron, token) pairs per 0.1-wide bin of the gate preactivation g; "
        f"red: ±t(0.01) = ±{t:.4f} (|SiLU′(g)| ≤ 0.01 for g ≤ −t)",
        fontsize=8,
    )
    figure.tight_layout()
    return figure


def _first_nonnegative_bin(edges: Sequence[float]) -> int:
    """Index of the histogram bin starting at edge 0 (bins before it hold g < 0)."""
    if 0.0 not in edges:
        raise ValueError("the histogram edges must include 0")
    return list(edges).index(0.0) + 1


def pooled_update_by_activity(
    runs: Sequence[SeedRun], optimizer: str, part: str, edges: Sequence[float] = ACTIVITY_EDGES
) -> list[tuple[float, float, int, float]]:
    """update_by_activity pooled over seeds: (low, high, neurons, mean update norm) per bin."""
    pooled: list[tuple[float, float, int, float]] = []
    per_seed = [update_by_activity(run, optimizer, part=part, edges=edges) for run in runs]
    for bins in zip(*per_seed, strict=True):
        neurons = sum(n for _, _, n, _ in bins)
        total = sum(n * mean for _, _, n, mean in bins if n)
        pooled.append((bins[0][0], bins[0][1], neurons, total / neurons if neurons else math.nan))
    return pooled


def update_vs_activity(
    runs: Sequence[SeedRun], optimizer: str, *, title: str, threshold: float
) -> Any:
    """Mean update norm per activity bin over the other neurons' mean, one line per part.

    Activity: fraction of the seed's training tokens with an open gate (g > 0); the first point
    is activity 0 (never open). Each part's values are divided by its mean update over the
    neurons that are not closed on every token (pooled over seeds), so 1 is "as much as the
    others" and ``threshold`` (dotted) is the statement's bound.
    """
    figure = _figure(6.0, 3.6)
    axes = figure.subplots()
    for part in PARTS:
        bins = pooled_update_by_activity(runs, optimizer, part)
        reference = _open_mean(runs, optimizer, part)
        x = [0.0] + [(low + high) / 2 for low, high, _, _ in bins[1:]]
        y = [mean / reference for _, _, n, mean in bins]
        axes.plot(x, y, marker="o", markersize=3, label=PART_LABELS[part])
    axes.axhline(1.0, color="grey", linewidth=0.6)
    axes.axhline(threshold, color="tab:red", linestyle=":", linewidth=0.8)
    axes.set_yscale("log")
    axes.set_xlabel("activity: fraction of the seed's training tokens with an open gate (g > 0)")
    axes.set_ylabel("mean ‖Δw‖ / that of the others")
    axes.legend(fontsize=7)
    axes.set_title(title, fontsize=8)
    figure.tight_layout()
    return figure


def _open_mean(runs: Sequence[SeedRun], optimizer: str, part: str) -> float:
    """Mean update norm over the neurons not closed on every token, pooled over seeds."""
    values = [
        getattr(run.trainings[optimizer].updates, part)[~run.attribution.inactive()] for run in runs
    ]
    return float(torch.cat(values).mean())
