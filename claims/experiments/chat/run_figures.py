"""Figures of the deep chat design, drawn from its JSON (deep-chat.json's "parts") only.

Bare matplotlib Figures on an Agg canvas (the pattern of claims/experiments/chat/figures.py);
``svg`` renders one to text. Each function takes the parts dict and returns a Figure:

  rewards            mean reward per GRPO step, per run (A's behaviour on the RL prompts)
  closed_share       share of the gate/up gradient through closed gates (g < 0), per step
  never_active       mean update of never-active neurons over that of the others, per checkpoint,
                     and the never-active count, per run and part (gate, up, down)
  controlled         held-out and control log-odds changes along each run
  planted            the planted trigger's log-odds before planting, after planting, after RL
"""

from __future__ import annotations

import io
import math
from typing import Any

from claims.experiments.chat.tracking import PARTS

PART_LABELS = {"gate_rows": "gate rows", "up_rows": "up rows", "down_columns": "down columns"}


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def svg(figure: Any) -> str:
    """The figure as SVG text, deterministic: no date, element ids hashed with a fixed salt."""
    import matplotlib

    stream = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "claims-deep-chat"}):
        figure.savefig(stream, format="svg", metadata={"Date": None})
    return stream.getvalue()


def runs(parts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every GRPO run in the parts, by label ("adamw", "relu control", "trigger", ...)."""
    found = {}
    for name, part in parts.items():
        if "run" in part:
            found["relu control" if name == "relu" else name] = part["run"]
        elif "steps" in part and "measurements" in part:
            found[name] = part
    return found


def rewards(parts: dict[str, Any]) -> Any:
    figure = _figure(6.0, 3.4)
    axes = figure.subplots()
    for label, run in runs(parts).items():
        steps = run["steps"]
        axes.plot([s["step"] + 1 for s in steps], [s["reward"] for s in steps], label=label)
    axes.set_xlabel("GRPO step")
    axes.set_ylabel("mean reward of the step's answers")
    axes.set_title("Reward on the RL prompts (on-policy samples)", fontsize=9)
    _legend(axes, 7)
    figure.tight_layout()
    return figure


def closed_share(parts: dict[str, Any]) -> Any:
    figure = _figure(6.0, 3.4)
    axes = figure.subplots()
    for label, run in runs(parts).items():
        shares = run["measurements"]["steps"]
        axes.plot(
            [s["step"] + 1 for s in shares],
            [_number(s["closed_gradient_share"]) for s in shares],
            label=label,
        )
    axes.set_xlabel("GRPO step")
    axes.set_ylabel("share through closed gates (g < 0)")
    axes.set_title(
        "Share of the loss gradient's gate/up squared norm through (neuron, token) pairs with "
        "g < 0",
        fontsize=8,
    )
    _legend(axes, 7)
    figure.tight_layout()
    return figure


def never_active(parts: dict[str, Any]) -> Any:
    figure = _figure(9.0, 3.4)
    panels = figure.subplots(1, len(PARTS) + 1)
    for label, run in runs(parts).items():
        checkpoints = [c for c in run["measurements"]["checkpoints"] if c["step"] > 0]
        steps = [c["step"] for c in checkpoints]
        for axes, part in zip(panels, PARTS, strict=False):
            axes.plot(steps, [_number(c["parts"][part]["ratio"]) for c in checkpoints], label=label)
        panels[-1].plot(steps, [c["never_active"] for c in checkpoints], label=label)
    for axes, part in zip(panels, PARTS, strict=False):
        axes.axhline(1.0, color="grey", linewidth=0.6)
        axes.set_title(f"{PART_LABELS[part]}: never-active / active", fontsize=7.5)
        axes.set_xlabel("step", fontsize=7)
    panels[0].set_ylabel("mean ‖W_t − W_0‖ ratio")
    panels[-1].set_title("neurons never active so far", fontsize=7.5)
    panels[-1].set_xlabel("step", fontsize=7)
    _legend(panels[-1], 6)
    figure.tight_layout()
    return figure


def controlled(parts: dict[str, Any]) -> Any:
    figure = _figure(6.0, 3.4)
    axes = figure.subplots()
    for label, run in runs(parts).items():
        snapshots = [
            (c["step"], c["behaviour"])
            for c in run["measurements"]["checkpoints"]
            if c["behaviour"] and "heldout" in c["behaviour"]
        ]
        if len(snapshots) < 2:
            continue
        first = snapshots[0][1]
        steps = [step for step, _ in snapshots]
        colour = None
        for name, style in (("heldout", "-"), ("control", ":")):
            changes = [_mean_change(first[name], b[name]) for _, b in snapshots]
            (line,) = axes.plot(steps, changes, style, color=colour, label=f"{label} {name}")
            colour = line.get_color()  # one colour per run: solid held-out, dotted control
    axes.axhline(0.0, color="grey", linewidth=0.6)
    axes.set_xlabel("GRPO step")
    axes.set_ylabel("mean Δ log-odds of an accepted answer")
    axes.set_title("Held-out (trained kinds) against control prompts", fontsize=9)
    _legend(axes, 6)
    figure.tight_layout()
    return figure


def planted(parts: dict[str, Any]) -> Any:
    figure = _figure(6.0, 3.4)
    axes = figure.subplots()
    found = parts.get("trigger")
    if found:
        stages = ("before_planting", "after_planting", "after_rl")
        for name in ("trigger", "control_trigger", "none"):
            means = [_mean(found[stage][name]) for stage in stages]
            axes.plot(range(len(stages)), means, marker="o", label=name.replace("_", " "))
        axes.set_xticks(range(len(stages)), ["before planting", "after planting", "after RL"])
    axes.set_ylabel("mean log-odds of the planted answer")
    axes.set_title("Planted trigger (S14 organism) against a control trigger", fontsize=9)
    _legend(axes, 7)
    figure.tight_layout()
    return figure


FIGURES = {
    "deep-chat-rewards": rewards,
    "deep-chat-closed-share": closed_share,
    "deep-chat-never-active": never_active,
    "deep-chat-controlled": controlled,
    "deep-chat-planted-trigger": planted,
}


def _legend(axes: Any, size: float) -> None:
    """A legend when something was drawn (an empty one warns)."""
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=size)


def _number(value: float | None) -> float:
    return math.nan if value is None else value


def _mean(values: list[float | None]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan


def _mean_change(before: list[float], after: list[float]) -> float:
    return _mean([b - a for a, b in zip(before, after, strict=True)])
