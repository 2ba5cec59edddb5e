"""Measurements along a GRPO run, per layer and pooled, as plain data.

Per step (from the MLPProbe of claims/experiments/chat/attribution.py on the loss passes):
  - every neuron's open-gate count (g > 0) on the step's real training tokens, accumulated over
    the run: its activity is that count over all training tokens seen so far;
  - the share of the loss gradient's gate/up squared norm carried by (neuron, token) pairs with a
    closed gate (g < 0): sum δ² ||x||² over those pairs / over all pairs, per layer and pooled
    (GradientSplit.share_through_negative's measure, one step at a time).
At checkpoints: each neuron's cumulative update ||W_t - W_0|| of its gate row, up row and down
column (float64 from the float32 weights), and the mean update of the neurons never active so
far (open on no training token up to that step) against the others, per layer and pooled, with
the largest update of a never-active neuron (exactly 0 is the ReLU control's stillness).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from claims.experiments.chat.attribution import LayerTally
from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.reinforce import mlp_parameters

PARTS = ("gate_rows", "up_rows", "down_columns")
# weight kind and the dimension that runs over one neuron's slice (gate/up: rows; down: columns).
SLICES = {
    "gate_rows": ("gate_proj", 1),
    "up_rows": ("up_proj", 1),
    "down_columns": ("down_proj", 0),
}


@dataclass
class StepShares:
    step: int
    # Real training tokens of the step's loss passes (prompt and answer tokens).
    tokens: int
    # Of the (neuron, token) pairs, the share with g < 0, pooled.
    closed_pairs: float
    # Of sum δ²||x||² over gate and up rows, the share through pairs with g < 0: pooled, per layer.
    closed_gradient_share: float
    layer_closed_gradient_share: list[float]


@dataclass
class PartSummary:
    # Mean update norm of never-active neurons and of the others, their ratio (NaN when either
    # set is empty), and the largest update of a never-active neuron (0.0 when none).
    never_active_mean: float
    active_mean: float
    ratio: float
    never_active_max: float
    # The same means per layer (NaN where a layer has no neuron of the set).
    layer_never_active_mean: list[float]
    layer_active_mean: list[float]


@dataclass
class Checkpoint:
    step: int
    # Training tokens seen so far; neurons never open on any of them (pooled, per layer).
    tokens: int
    never_active: int
    layer_never_active: list[int]
    # PARTS -> summary of ||W_t - W_0|| per neuron.
    parts: dict[str, PartSummary]
    # Behaviour measured here, if the run was given an evaluation (plain data).
    behaviour: dict[str, Any] | None = None


@dataclass
class Tracker:
    """Folds the probe tallies of each step and takes checkpoints against W_0's MLP weights."""

    layers: int
    neurons: int
    # W_0 of every MLP weight (mlp_parameters' names), detached copies.
    initial: dict[str, torch.Tensor]
    open_counts: torch.Tensor = field(init=False)
    tokens: int = 0
    shares: list[StepShares] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # The latest per-neuron updates: PARTS -> float64 [layers, neurons] (CPU).
    updates: dict[str, torch.Tensor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.open_counts = torch.zeros(self.layers, self.neurons, dtype=torch.long)

    @classmethod
    def start(cls, chat: ChatModel) -> Tracker:
        weights = mlp_parameters(chat.model)
        initial = {name: w.detach().clone() for name, w in weights.items()}
        first = chat.mlps[0].gate_proj
        return cls(len(chat.mlps), first.out_features, initial)

    def fold(self, step: int, tallies: list[LayerTally]) -> StepShares:
        """Add one step's tallies (every loss pass of the step pooled)."""
        tokens = tallies[0].tokens
        self.open_counts += torch.stack([t.open_counts for t in tallies])
        self.tokens += tokens
        gate_total = [t.gate_total + t.up_total for t in tallies]
        closed = [t.gate_negative + t.up_negative for t in tallies]
        pooled_total = sum(gate_total)
        found = StepShares(
            step,
            tokens,
            sum(t.negative for t in tallies) / (tokens * self.neurons * self.layers),
            sum(closed) / pooled_total if pooled_total > 0 else math.nan,
            [c / g if g > 0 else math.nan for c, g in zip(closed, gate_total, strict=True)],
        )
        self.shares.append(found)
        return found

    def never_active(self) -> torch.Tensor:
        """bool [layers, neurons]: open on no training token so far."""
        return self.open_counts == 0

    def activity(self) -> torch.Tensor:
        """float64 [layers, neurons]: share of the training tokens so far with an open gate."""
        return self.open_counts.double() / max(self.tokens, 1)

    @torch.no_grad()
    def checkpoint(self, step: int, chat: ChatModel, behaviour: dict | None = None) -> Checkpoint:
        weights = mlp_parameters(chat.model)
        for part, (kind, dim) in SLICES.items():
            self.updates[part] = torch.stack(
                [
                    torch.linalg.vector_norm(
                        weights[f"{i}.{kind}"].double() - self.initial[f"{i}.{kind}"].double(),
                        dim=dim,
                    ).cpu()
                    for i in range(self.layers)
                ]
            )
        never = self.never_active()
        found = Checkpoint(
            step,
            self.tokens,
            int(never.sum()),
            never.sum(1).tolist(),
            {part: summarise(self.updates[part], never) for part in PARTS},
            behaviour,
        )
        self.checkpoints.append(found)
        return found

    def to_json(self, *, per_neuron: bool = False) -> dict[str, Any]:
        """Plain data: step shares, checkpoints, activity histogram; per-neuron arrays on demand."""
        found: dict[str, Any] = {
            "layers": self.layers,
            "neurons": self.neurons,
            "tokens": self.tokens,
            "steps": [asdict(s) for s in self.shares],
            "checkpoints": [asdict(c) for c in self.checkpoints],
            "activity_histogram": activity_histogram(self.activity()),
        }
        if self.updates:
            found["quiet_neurons"] = [
                asdict(q) for q in quiet_neurons(self.activity(), self.updates)
            ]
        if per_neuron:
            found["per_neuron"] = {
                "activity": _rounded(self.activity()),
                **{part: _rounded(values) for part, values in self.updates.items()},
            }
        return found


def summarise(updates: torch.Tensor, never: torch.Tensor) -> PartSummary:
    """PartSummary of per-neuron update norms [layers, neurons] split by ``never`` (bool)."""

    def mean(values: torch.Tensor) -> float:
        return float(values.mean()) if values.numel() else math.nan

    never_mean, active_mean = mean(updates[never]), mean(updates[~never])
    ratio = never_mean / active_mean if active_mean > 0 and not math.isnan(never_mean) else math.nan
    return PartSummary(
        never_mean,
        active_mean,
        ratio,
        float(updates[never].max()) if never.any() else 0.0,
        [mean(updates[i][never[i]]) for i in range(updates.shape[0])],
        [mean(updates[i][~never[i]]) for i in range(updates.shape[0])],
    )


# Activity at or below which a neuron counts as inactive over a run (its gate open on at most
# this share of the training tokens), and the update quantiles reported for such neurons.
RARELY_ACTIVE = (0.0, 0.001, 0.01)
QUANTILES = (0.01, 0.1, 0.5)


@dataclass
class QuietNeurons:
    """How much the inactive neurons moved against the active ones, at one activity threshold.

    The update of a neuron is the norm of its gate and up rows' change together, sqrt(gate² +
    up²) of the per-part norms (its incoming parameters; the down column is its outgoing one).
    """

    # Neurons with activity <= threshold ("inactive") and the others ("active").
    threshold: float
    inactive: int
    active: int
    # Quantiles (QUANTILES) of the inactive neurons' updates; the active neurons' median.
    inactive_quantiles: dict[str, float]
    active_median: float
    # Each quantile over the active median (NaN where a set is empty).
    quantile_over_active_median: dict[str, float]


def quiet_neurons(activity: torch.Tensor, updates: dict[str, torch.Tensor]) -> list[QuietNeurons]:
    """QuietNeurons at every RARELY_ACTIVE threshold, from activity [layers, neurons] and the
    latest per-part updates (gate_rows and up_rows)."""
    incoming = torch.sqrt(updates["gate_rows"] ** 2 + updates["up_rows"] ** 2).flatten()
    flat = activity.flatten()
    found = []
    for threshold in RARELY_ACTIVE:
        quiet = flat <= threshold
        inactive, active = incoming[quiet], incoming[~quiet]
        median = float(active.median()) if active.numel() else math.nan
        quantiles = {
            f"{q:g}": float(torch.quantile(inactive, q)) if inactive.numel() else math.nan
            for q in QUANTILES
        }
        found.append(
            QuietNeurons(
                threshold,
                int(quiet.sum()),
                int((~quiet).sum()),
                quantiles,
                median,
                {k: v / median if median > 0 else math.nan for k, v in quantiles.items()},
            )
        )
    return found


ACTIVITY_EDGES = (0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0)


def activity_histogram(activity: torch.Tensor) -> list[dict[str, float]]:
    """Neurons per activity bin: exactly 0, then (edges[i], edges[i+1]]."""
    flat = activity.flatten()
    bins = [{"low": 0.0, "high": 0.0, "neurons": int((flat == 0).sum())}]
    for low, high in zip(ACTIVITY_EDGES, ACTIVITY_EDGES[1:], strict=False):
        count = int(((flat > low) & (flat <= high)).sum())
        bins.append({"low": low, "high": high, "neurons": count})
    return bins


def _rounded(values: torch.Tensor) -> list[list[float]]:
    """Nested lists of 4 significant digits: enough to draw and bin 46 080 neurons per run,
    a third of the size of full float32 text (exact zeros stay exact)."""
    return [[float(f"{value:.4g}") for value in row] for row in values.tolist()]
