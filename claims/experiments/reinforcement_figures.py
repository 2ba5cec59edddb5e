"""Figures of the twin-circuit factorial (claims/experiments/factorial.py) for the differential-reinforcement report.

Each function returns a bare matplotlib Figure on an Agg canvas: no pyplot, so no global backend
switch and no figure registry to close (the same pattern as claims/experiments/minilm.py); the caller
hands it to ``measurements.figure`` and drops it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from claims.experiments.factorial import CellResult
from claims.experiments.policies import TwinDesign
from claims.instruments.statistics import Interval

# How wide the shaded band of a trajectory is: these quantiles of the per-seed distances.
BAND = (0.1, 0.9)


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def ratio_matrix(labels: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]]):
    """Heatmap of per-cell mean D/A ratios, numbers written in, diverging colours centred at 0."""
    from matplotlib.colors import CenteredNorm

    matrix = torch.tensor(values, dtype=torch.float64).numpy()
    figure = _figure(7.5, 1.2 + 0.22 * len(labels))
    axes = figure.subplots()
    image = axes.imshow(matrix, cmap="RdBu_r", norm=CenteredNorm(vcenter=0.0), aspect="auto")
    axes.set_xticks(range(len(columns)), labels=list(columns))
    axes.set_yticks(range(len(labels)), labels=list(labels), fontsize=7)
    axes.xaxis.tick_top()
    scale = float(abs(matrix).max()) or 1.0
    for row, line in enumerate(matrix):
        for column, value in enumerate(line):
            colour = "white" if abs(value) > 0.6 * scale else "black"
            axes.text(
                column, row, f"{value:.3f}", ha="center", va="center", fontsize=6.5, color=colour
            )
    figure.colorbar(image, ax=axes, shrink=0.5, label="mean D/A ratio over seeds")
    axes.set_title(
        "Twin circuits: what the inactive circuit D got, relative to the active circuit A\n"
        "(per cell mean over seeds; 1 = as much as A, 0 = nothing, < 0 = pushed the other way)",
        fontsize=9,
    )
    figure.tight_layout()
    return figure


def incoming_distance(result: CellResult, circuit: str) -> torch.Tensor:
    """‖θ_t − θ_0‖ over the circuit's incoming parameters, [steps + 1, seeds] (row 0 is θ_0)."""
    design = TwinDesign(result.cell.activation, result.cell.readout)
    neurons = design.circuit_a if circuit == "A" else design.circuit_d
    training = result.training
    if training.trajectory is None:
        raise ValueError(f"{result.cell.label}: training kept no trajectory")
    names = ["reads", "bias"] + (["up"] if "up" in training.initial else [])
    squared = sum(
        (training.trajectory[n][:, :, neurons] - training.initial[n][None, :, neurons])
        .flatten(2)
        .pow(2)
        .sum(dim=2)
        for n in names
    )
    steps = torch.sqrt(squared)
    return torch.cat([torch.zeros_like(steps[:1]), steps])


def trajectories(results: Sequence[CellResult]):
    """One panel per cell: A's and D's incoming distance from θ_0, seed mean and quantile band."""
    figure = _figure(10.0, 6.5)
    panels = figure.subplots(2, (len(results) + 1) // 2, squeeze=False).flatten()
    for axes, result in zip(panels, results, strict=False):
        for circuit, colour in (("A", "tab:blue"), ("D", "tab:red")):
            distance = incoming_distance(result, circuit)
            steps = range(distance.shape[0])
            low, high = torch.quantile(distance, torch.tensor(BAND, dtype=distance.dtype), dim=1)
            axes.fill_between(steps, low.numpy(), high.numpy(), color=colour, alpha=0.25)
            axes.plot(steps, distance.mean(dim=1).numpy(), color=colour, label=f"circuit {circuit}")
        axes.set_title(result.cell.label, fontsize=9)
        axes.set_xlabel("training step t")
        axes.set_ylabel("‖θ_t − θ_0‖, incoming parameters")
        axes.legend(loc="upper left", fontsize=8)
    for axes in panels[len(results) :]:
        axes.set_visible(False)
    figure.suptitle(
        f"Distance travelled by each circuit's incoming parameters: mean over seeds, "
        f"band {BAND[0]:.0%}–{BAND[1]:.0%} of seeds",
        fontsize=10,
    )
    figure.tight_layout()
    return figure


def _interval_lines(
    axes: Any, x: Sequence[float], curves: Mapping[str, Sequence[Interval]]
) -> None:
    """One line per curve through the interval means, its interval drawn as a band."""
    for label, intervals in curves.items():
        if len(intervals) != len(x):
            raise ValueError(f"{label}: {len(intervals)} intervals for {len(x)} x values")
        (line,) = axes.plot(x, [i.mean for i in intervals], marker="o", markersize=3, label=label)
        axes.fill_between(
            x,
            [i.low for i in intervals],
            [i.high for i in intervals],
            color=line.get_color(),
            alpha=0.2,
        )


def _ratio_panels(
    x: Sequence[float],
    panels: Mapping[str, Mapping[str, Sequence[Interval]]],
    *,
    xlabel: str,
    title: str,
    log_x: bool,
    references: Mapping[str, Mapping[str, Interval]] | None = None,
) -> Any:
    """One panel per key of ``panels`` (a measure), one banded line per curve in it; the
    optional ``references`` (same keys) are drawn as dashed horizontal lines with bands."""
    figure = _figure(4.2 * len(panels) + 0.6, 4.0)
    for axes, (measure, curves) in zip(
        figure.subplots(1, len(panels), squeeze=False)[0], panels.items(), strict=True
    ):
        _interval_lines(axes, x, curves)
        # axhline does not advance the colour cycle: continue it by hand, after the curves.
        references_here = ((references or {}).get(measure) or {}).items()
        for index, (label, interval) in enumerate(references_here, start=len(curves)):
            colour = f"C{index % 10}"
            axes.axhline(interval.mean, color=colour, linestyle="--", linewidth=1, label=label)
            axes.axhspan(interval.low, interval.high, color=colour, alpha=0.12)
        axes.axhline(0.0, color="grey", linewidth=0.6)
        if log_x:
            axes.set_xscale("log")
        axes.set_xlabel(xlabel)
        axes.set_ylabel(f"D/A {measure} ratio (mean, 95 % interval)")
        axes.set_title(measure, fontsize=9)
        axes.legend(fontsize=7)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def ratio_vs_margin(
    margins: Sequence[float],
    panels: Mapping[str, Mapping[str, Sequence[Interval]]],
    *,
    drawn: Mapping[str, Mapping[str, Interval]] | None = None,
) -> Any:
    """D/A ratio against D's margin: panels[measure][optimizer] = one interval per margin.

    Measures are e.g. "incoming" and "outgoing", optimizers e.g. "SGD" and "Adam"; ``drawn``
    (optional, drawn[measure][label]) adds the runs with per-neuron margins drawn from
    all-MiniLM-L6-v2 as dashed lines, having no single margin to sit at.
    """
    return _ratio_panels(
        margins,
        panels,
        xlabel="margin m (D's preactivation ≈ −m on training prompts)",
        title="Twin circuits: what the inactive circuit D got relative to A, by how inactive D is",
        log_x=False,
        references=drawn,
    )


def ratio_vs_active_fraction(
    fractions: Sequence[float], panels: Mapping[str, Mapping[str, Sequence[Interval]]]
) -> Any:
    """D/A ratio against the fraction p of training prompts on which D is active (log axis):
    panels[measure][curve] = one interval per fraction, curves e.g. "ReLU/SGD", "GELU/Adam"."""
    return _ratio_panels(
        fractions,
        panels,
        xlabel="fraction p of training prompts that switch D on (A on the others)",
        title="Twin circuits with D partly active: D/A ratio by how often D is used",
        log_x=True,
    )


def transformer_ratio_vs_steps(
    steps: Sequence[int],
    ratios: Mapping[str, Sequence[float]],
    *,
    bands: Mapping[str, Sequence[tuple[float, float]]] | None = None,
) -> Any:
    """Ratio of mean Δ log-odds (trigger-only over ordinary prompts) against RL steps, one line
    per MLP unit (ratios[unit], one value per step count); ``bands[unit]`` optional (low, high)."""
    figure = _figure(6.0, 4.0)
    axes = figure.subplots()
    for unit, values in ratios.items():
        if len(values) != len(steps):
            raise ValueError(f"{unit}: {len(values)} ratios for {len(steps)} step counts")
        (line,) = axes.plot(steps, values, marker="o", label=unit)
        if bands and unit in bands:
            low, high = zip(*bands[unit], strict=True)
            axes.fill_between(steps, low, high, color=line.get_color(), alpha=0.2)
    axes.axhline(0.0, color="grey", linewidth=0.6)
    axes.axhline(1.0, color="grey", linewidth=0.6, linestyle=":")
    axes.set_xscale("log")
    axes.set_xlabel("REINFORCE steps on ordinary prompts")
    axes.set_ylabel("mean Δ log-odds(trigger) / mean Δ log-odds(ordinary)")
    axes.set_title(
        "Tiny transformer: the trigger behaviour's share of the reinforcement", fontsize=10
    )
    axes.legend()
    figure.tight_layout()
    return figure


def controlled_over_steps(
    steps: Sequence[float],
    panels: Mapping[str, Mapping[str, Sequence[Interval]]],
    *,
    xlabel: str,
    title: str,
    log_x: bool = False,
) -> Any:
    """One panel per run: each behaviour's controlled effect (Δ log-odds against the plain
    control prompt) over training steps, its 95 % interval over seeds as a band; 0 marked."""
    figure = _figure(4.0 * len(panels), 3.6)
    for axes, (name, curves) in zip(
        figure.subplots(1, len(panels), squeeze=False)[0], panels.items(), strict=True
    ):
        _interval_lines(axes, steps, curves)
        axes.axhline(0.0, color="grey", linewidth=0.6)
        if log_x:
            axes.set_xscale("log")
        axes.set_title(name, fontsize=9)
        axes.set_xlabel(xlabel, fontsize=8)
        axes.set_ylabel("Δ log-odds against the plain control (nats)", fontsize=8)
        axes.legend(fontsize=7)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure
