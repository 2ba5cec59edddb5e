"""Figures of the twin-circuit factorial (claims/factorial.py) for the differential-reinforcement report.

Each function returns a bare matplotlib Figure on an Agg canvas: no pyplot, so no global backend
switch and no figure registry to close (the same pattern as claims/real_model.py); the caller
hands it to ``measurements.figure`` and drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from claims.factorial import CellResult
from claims.policies import TwinDesign

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
