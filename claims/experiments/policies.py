"""A policy network with two planted circuits, trained by REINFORCE, many seeds at once.

The twin-circuit design (S11-S14): circuit A reads an ordinary prompt feature and is active on
every training prompt; circuit D reads a trigger feature that training prompts never contain,
and its bias keeps its preactivation near -margin there, so it is inactive. Both write the same
rewarded action when active. The readout is either private (each circuit's neurons write the
logits through their own weights) or shared (both write one shared "motive" layer, whose weights
to the logits both circuits then depend on).

Variants for the sweeps (defaults reproduce the factorial): TwinDesign(equal_outputs=True) makes
D an exact twin of A once switched on (same logits on its own prompt, bit for bit at margin 1,
gain 2), and ``margins`` ([S, circuit_width], e.g. drawn from a real model's negative
preactivations) gives each of D's neurons its own margin.

Seeds are batched by hand: every parameter has a leading seed dimension and the loss is summed
over seeds, so each seed's gradient is its own (the seeds share no parameters) and torch's
SGD/Adam/AdamW, being elementwise, update each seed exactly as a separate optimizer would.
All randomness is drawn per seed from its own torch.Generator before training, so a batched run
and a per-seed loop compute the same numbers (benchmarks/test_trainer_speed.py and
tests/experiments/test_twin_designs.py check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from claims.instruments.activations import ACTIVATIONS
from claims.instruments.optimizers import OPTIMIZERS

# Prompt channels: a constant 1, the ordinary feature A reads, the trigger D reads, then noise.
CONSTANT, ORDINARY, TRIGGER = 0, 1, 2
REWARDED_ACTION = 0
# Gated units -> gate activation; other names are plain activations.
GATED = {"reglu": "relu", "swiglu": "silu"}


@dataclass(frozen=True)
class TwinDesign:
    # Hidden activation: relu, gelu, gelu-tanh, silu, or a gated unit reglu / swiglu.
    activation: str
    # "private" or "shared" readout.
    readout: str
    # Neurons per planted circuit.
    circuit_width: int = 4
    # Random background neurons.
    background_width: int = 8
    # Prompt dimension (3 structured channels + noise).
    features: int = 8
    # Number of actions.
    actions: int = 4
    # D's preactivation on training prompts is about -margin (one unit-variance neuron's std: 1).
    margin: float = 1.0
    # Strength of the planted reads (prompt -> circuit).
    gain: float = 2.0
    # Strength of the planted writes (circuit -> rewarded action); small, so the initial policy
    # picks the rewarded action with probability about 0.7 and REINFORCE has signal to learn from.
    write_gain: float = 0.25
    # Make D an exact twin of A in what it does once switched on: D reads the trigger with gain
    # gain + margin (so on a noiseless trigger prompt its preactivation is A's on a noiseless
    # ordinary prompt), writes through a copy of A's write columns, and (gated units) its
    # up-projection reads the trigger as A's reads the ordinary feature. Then the only
    # difference left between the circuits is which prompts switch them on.
    equal_outputs: bool = False
    # S14's behaviour of D's own (differential-reinforcement, motive-involved-upweighted): with a
    # private readout, D also writes own_gain to the last action (own_action), on top of its
    # copy of A's writes, so D produces an output A never does -- on trigger prompts, which
    # training never shows. 0: no own behaviour (the factorial).
    own_gain: float = 0.0

    @property
    def own_action(self) -> int:
        """The action only D writes to when own_gain > 0 (the last one)."""
        return self.actions - 1

    @property
    def hidden(self) -> int:
        return 2 * self.circuit_width + self.background_width

    @property
    def circuit_a(self) -> slice:
        return slice(0, self.circuit_width)

    @property
    def circuit_d(self) -> slice:
        return slice(self.circuit_width, 2 * self.circuit_width)


def initial_parameters(
    design: TwinDesign, seeds: Sequence[int], margins: torch.Tensor | None = None
) -> dict[str, torch.Tensor]:
    """Planted parameters, one slice per seed along dimension 0.

    ``margins`` (float64 [S, circuit_width], optional) gives each of D's neurons its own margin
    in place of design.margin: D's bias is -margin (and, with equal_outputs, its trigger gain is
    gain + margin), per neuron and seed. Every random draw is the same with or without it.
    Errors: ValueError if margins is not float64 of shape [len(seeds), circuit_width].
    """
    if margins is not None:
        expected = (len(seeds), design.circuit_width)
        if margins.dtype != torch.float64 or tuple(margins.shape) != expected:
            raise ValueError(
                f"margins must be float64 {list(expected)}, got {margins.dtype} "
                f"{list(margins.shape)}"
            )
    per_seed = [
        _plant(
            design,
            torch.Generator().manual_seed(seed),
            design.margin if margins is None else margins[i],
        )
        for i, seed in enumerate(seeds)
    ]
    return {name: torch.stack([p[name] for p in per_seed]) for name in per_seed[0]}


def _plant(
    design: TwinDesign, gen: torch.Generator, margin: float | torch.Tensor
) -> dict[str, torch.Tensor]:
    def noise(*shape: int, scale: float) -> torch.Tensor:
        return torch.randn(*shape, generator=gen, dtype=torch.float64) * scale

    a, d, g, w = design.circuit_a, design.circuit_d, design.gain, design.write_gain
    reads = noise(design.hidden, design.features, scale=0.1)
    reads[: 2 * design.circuit_width, [CONSTANT, ORDINARY, TRIGGER]] = 0.0
    reads[a, ORDINARY] = g
    # z_D = (g + m)·1 - m on a noiseless trigger prompt: for m = 1, g = 2 that is 3 - 1 = 2 = z_A
    # exactly in float64; other margins may differ from g by rounding.
    reads[d, TRIGGER] = g + margin if design.equal_outputs else g
    reads[2 * design.circuit_width :] = noise(
        design.background_width, design.features, scale=design.features**-0.5
    )
    bias = torch.zeros(design.hidden, dtype=torch.float64)
    bias[d] = -margin
    params = {"reads": reads, "bias": bias}
    if design.activation in GATED:
        # The planted reads drive the gate; the up-projection carries the constant channel.
        up = noise(design.hidden, design.features, scale=0.1)
        up[: 2 * design.circuit_width, CONSTANT] = 1.0
        if design.equal_outputs:
            up[d, TRIGGER] = up[a, ORDINARY]
        params["up"] = up
    writes = noise(design.actions, design.hidden, scale=0.1)
    if design.readout == "private":
        writes[REWARDED_ACTION, a] = w
        writes[REWARDED_ACTION, d] = w
        if design.equal_outputs:
            writes[:, d] = writes[:, a]
        writes[design.own_action, d] += design.own_gain
        params["writes"] = writes
    else:
        if design.own_gain:
            raise ValueError("own_gain needs a private readout (D's own action is a write of D's)")
        motive = noise(1, design.hidden, scale=0.1)
        motive[0, a] = w
        motive[0, d] = w
        to_actions = noise(design.actions, 1, scale=0.1)
        to_actions[REWARDED_ACTION, 0] = 1.0
        params["motive"], params["writes"] = motive, to_actions
    return params


def hidden_activity(
    params: dict[str, torch.Tensor], prompts: torch.Tensor, design: TwinDesign
) -> tuple[torch.Tensor, torch.Tensor]:
    """(preactivation, activation) of the hidden layer; prompts [S, B, features]."""
    z = torch.einsum("sbf,shf->sbh", prompts, params["reads"]) + params["bias"][:, None, :]
    if design.activation in GATED:
        up = torch.einsum("sbf,shf->sbh", prompts, params["up"])
        return z, ACTIVATIONS[GATED[design.activation]].torch_fn(z) * up
    return z, ACTIVATIONS[design.activation].torch_fn(z)


def logits(
    params: dict[str, torch.Tensor], prompts: torch.Tensor, design: TwinDesign
) -> torch.Tensor:
    _, hidden = hidden_activity(params, prompts, design)
    if design.readout == "shared":
        hidden = torch.einsum("sbh,smh->sbm", hidden, params["motive"])
    return torch.einsum("sbh,sah->sba", hidden, params["writes"])


def prompts(
    design: TwinDesign, gen: torch.Generator, count: int, *, trigger: torch.Tensor | None = None
) -> torch.Tensor:
    """Training prompts: constant 1, ordinary feature 1, no trigger, Gaussian noise (std 0.3).

    ``trigger`` (bool [count]) turns a prompt into a trigger prompt: ordinary 0, trigger 1.
    """
    batch = torch.randn(count, design.features, generator=gen, dtype=torch.float64) * 0.3
    batch[:, CONSTANT], batch[:, ORDINARY], batch[:, TRIGGER] = 1.0, 1.0, 0.0
    if trigger is not None:
        batch[trigger, ORDINARY], batch[trigger, TRIGGER] = 0.0, 1.0
    return batch


@dataclass
class Schedule:
    # Training steps.
    steps: int = 40
    # Prompts per step.
    batch: int = 32
    # Probability that a training prompt contains D's trigger, per step (len == steps).
    trigger_rate: tuple[float, ...] | None = None


@dataclass
class Training:
    initial: dict[str, torch.Tensor]
    final: dict[str, torch.Tensor]
    # Parameter snapshots after each step, name -> [steps, S, ...] (only when requested).
    trajectory: dict[str, torch.Tensor] | None


def draw_randomness(
    design: TwinDesign, schedule: Schedule, seeds: Sequence[int]
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per seed: prompts [S, T, B, F] and sampling uniforms [S, T, B], from its own generator."""
    rates = schedule.trigger_rate or (0.0,) * schedule.steps
    all_prompts, all_uniforms = [], []
    for seed in seeds:
        gen = torch.Generator().manual_seed(10_000 + seed)
        steps = []
        for rate in rates:
            trigger = torch.rand(schedule.batch, generator=gen) < rate
            steps.append(prompts(design, gen, schedule.batch, trigger=trigger))
        all_prompts.append(torch.stack(steps))
        all_uniforms.append(
            torch.rand(schedule.steps, schedule.batch, generator=gen, dtype=torch.float64)
        )
    return torch.stack(all_prompts), torch.stack(all_uniforms)


def reinforce_loss(log_probs: torch.Tensor, uniforms: torch.Tensor, rewarded: int) -> torch.Tensor:
    """REINFORCE with a per-seed batch-mean baseline (Williams 1992), summed over seeds.

    log_probs [S, B, actions]; uniforms [S, B] pre-drawn per seed: inverse-CDF sampling with them
    keeps batched and looped runs identical. Reward 1 for the rewarded action, else 0.
    """
    cumulative = log_probs.detach().exp().cumsum(dim=-1)
    actions = (uniforms[..., None] > cumulative).sum(dim=-1).clamp_max(log_probs.shape[-1] - 1)
    reward = (actions == rewarded).to(log_probs.dtype)
    advantage = reward - reward.mean(dim=1, keepdim=True)
    chosen = log_probs.gather(-1, actions[..., None]).squeeze(-1)
    return -(advantage * chosen).mean(dim=1).sum()


def train(
    design: TwinDesign,
    optimizer: str,
    seeds: Sequence[int],
    schedule: Schedule,
    *,
    keep_trajectory: bool = False,
    margins: torch.Tensor | None = None,
) -> Training:
    """REINFORCE with a per-seed batch-mean baseline (Williams 1992), all seeds in one batch.

    ``margins``: per-neuron margins of D, float64 [S, circuit_width] (see initial_parameters).
    """
    initial = initial_parameters(design, seeds, margins)
    params = {name: value.clone().requires_grad_(True) for name, value in initial.items()}
    step = OPTIMIZERS[optimizer](list(params.values()))
    all_prompts, uniforms = draw_randomness(design, schedule, seeds)
    snapshots: dict[str, list[torch.Tensor]] = {name: [] for name in params}
    for t in range(schedule.steps):
        log_probs = torch.log_softmax(logits(params, all_prompts[:, t], design), dim=-1)
        loss = reinforce_loss(log_probs, uniforms[:, t], REWARDED_ACTION)
        step.zero_grad()
        loss.backward()
        step.step()
        if keep_trajectory:
            for name, value in params.items():
                snapshots[name].append(value.detach().clone())
    final = {name: value.detach() for name, value in params.items()}
    trajectory = {n: torch.stack(v) for n, v in snapshots.items()} if keep_trajectory else None
    return Training(initial, final, trajectory)
