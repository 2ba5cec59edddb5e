"""S20 without planted circuits: random MLP policies, REINFORCE on one prompt distribution.

The design (``Design``: widths, shift, probe size, set thresholds, steps, batch) is the catalog's
(claims/catalog/differential_reinforcement.py, RANDOM_POLICY_*), passed in by the tests. A
policy is prompt (features) -> hidden (ReLU or GELU) -> action logits, LeCun-normal weights
(std 1/√fan_in), zero biases. Two prompt distributions per seed: unit-covariance Gaussians
centred at +shift·u (P1) and -shift·u (P2), u a random unit direction. Before training, each
hidden neuron is classified on ``probe`` prompts of each distribution:
  active set   = neurons with z > 0 on at least ``active_on`` of P1 prompts and at most
                 ``silent_on`` of P2 prompts;
  inactive set = neurons with z > 0 on at most ``silent_on`` of P1 prompts.
Training uses P1 only (REINFORCE, rewarded action 0, batch-mean baseline), and S20 predicts that
a neuron of the active set gets a larger incoming-weight update than one of the inactive set.

Seeds are batched as in claims/experiments/policies.py: every parameter has a leading seed dimension and the
loss is summed over seeds, so each seed's gradient is its own and the elementwise optimizers
update each seed as a separate optimizer would. Randomness is drawn per seed from its own
generator before training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from claims.experiments.policies import reinforce_loss
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.optimizers import OPTIMIZERS

REWARDED_ACTION = 0
# Signs of the two distributions' mean shift along u.
P1, P2 = 1.0, -1.0
# The distribution training draws from (a planted bug can point it at P2).
TRAINED_ON = P1


@dataclass(frozen=True)
class Design:
    """One random-policy design. With zero biases a neuron is active on ≥ 90 % of P1 iff
    shift·cos(w, u) > 1.28; cos(w, u) has std 1/4 at init for 16 features, so shift = 4 puts
    about 10 % of the neurons (≈ 6 of 64) in each set: non-empty on almost every seed, while the
    prompts are not yet dominated by the one direction u."""

    # Prompt features, hidden neurons, actions.
    widths: tuple[int, int, int]
    # How far P1 and P2 are centred from the origin along u.
    shift: float
    # Prompts per distribution used to classify neurons before training.
    probe: int
    # Set thresholds: shares of probe prompts on which z > 0.
    active_on: float
    silent_on: float
    # REINFORCE steps and prompts per step.
    steps: int
    batch: int


@dataclass(frozen=True)
class Draws:
    design: Design
    # name -> [S, ...] initial parameters.
    initial: dict[str, torch.Tensor]
    # [S, probe, features] each: classification prompts.
    probe_p1: torch.Tensor
    probe_p2: torch.Tensor
    # [S, steps, batch, features] training prompts and [S, steps, batch] sampling uniforms.
    prompts: torch.Tensor
    uniforms: torch.Tensor


def draw(seeds: Sequence[int], design: Design) -> Draws:
    """Everything random, per seed from its own generator, stacked along dimension 0."""
    per_seed = [_draw_one(torch.Generator().manual_seed(seed), design) for seed in seeds]
    initial = {name: torch.stack([d[0][name] for d in per_seed]) for name in per_seed[0][0]}
    stacked = [torch.stack([d[i] for d in per_seed]) for i in range(1, 5)]
    return Draws(design, initial, *stacked)


def _draw_one(gen: torch.Generator, design: Design) -> tuple[dict[str, torch.Tensor], ...]:
    features, hidden, actions = design.widths

    def normal(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=gen, dtype=torch.float64)

    params = {
        "w1": normal(hidden, features) * features**-0.5,
        "b1": torch.zeros(hidden, dtype=torch.float64),
        "w2": normal(actions, hidden) * hidden**-0.5,
        "b2": torch.zeros(actions, dtype=torch.float64),
    }
    direction = normal(features)
    direction = direction / direction.norm()

    def prompts(sign: float, *shape: int) -> torch.Tensor:
        return normal(*shape, features) + sign * design.shift * direction

    probe_p1, probe_p2 = prompts(P1, design.probe), prompts(P2, design.probe)
    training = prompts(TRAINED_ON, design.steps, design.batch)
    uniforms = torch.rand(design.steps, design.batch, generator=gen, dtype=torch.float64)
    return params, probe_p1, probe_p2, training, uniforms


def preactivation(params: dict[str, torch.Tensor], prompts: torch.Tensor) -> torch.Tensor:
    """z [S, B, hidden] for prompts [S, B, features]."""
    return torch.einsum("sbf,shf->sbh", prompts, params["w1"]) + params["b1"][:, None, :]


def logits(params: dict[str, torch.Tensor], prompts: torch.Tensor, activation: str) -> torch.Tensor:
    hidden = ACTIVATIONS[activation].torch_fn(preactivation(params, prompts))
    return torch.einsum("sbh,sah->sba", hidden, params["w2"]) + params["b2"][:, None, :]


def neuron_sets(draws: Draws) -> tuple[torch.Tensor, torch.Tensor]:
    """(active, inactive) boolean masks [S, hidden], from the initial parameters."""
    on_p1 = (preactivation(draws.initial, draws.probe_p1) > 0).double().mean(dim=1)
    on_p2 = (preactivation(draws.initial, draws.probe_p2) > 0).double().mean(dim=1)
    design = draws.design
    return (on_p1 >= design.active_on) & (on_p2 <= design.silent_on), on_p1 <= design.silent_on


def train(activation: str, optimizer: str, draws: Draws) -> dict[str, torch.Tensor]:
    """REINFORCE with a per-seed batch-mean baseline, all seeds in one batch; final parameters."""
    params = {n: v.clone().requires_grad_(True) for n, v in draws.initial.items()}
    step = OPTIMIZERS[optimizer](list(params.values()))
    for t in range(draws.prompts.shape[1]):
        log_probs = torch.log_softmax(logits(params, draws.prompts[:, t], activation), dim=-1)
        loss = reinforce_loss(log_probs, draws.uniforms[:, t], REWARDED_ACTION)
        step.zero_grad()
        loss.backward()
        step.step()
    return {n: v.detach() for n, v in params.items()}


@dataclass(frozen=True)
class Comparison:
    # Per kept seed: P(m_i > m_j) over all (active i, inactive j) pairs, ties counting 1/2, for the
    # comparison's measure m (compare: ‖Δw‖; compare_signed: the change of the rewarded
    # contribution).
    probability: list[float]
    # Per kept seed: the measure's mean over the active set and over the inactive set.
    active_mean: list[float]
    inactive_mean: list[float]
    # Seeds left out because one of the sets was empty (no pairs to compare).
    left_out: int


def compare(draws: Draws, final: dict[str, torch.Tensor]) -> Comparison:
    norms = (final["w1"] - draws.initial["w1"]).norm(dim=-1)  # [S, hidden]: incoming weights
    active, inactive = neuron_sets(draws)
    larger = (norms[:, :, None] > norms[:, None, :]).double()
    larger += 0.5 * (norms[:, :, None] == norms[:, None, :]).double()
    pairs = active[:, :, None] & inactive[:, None, :]
    count = pairs.sum(dim=(1, 2))
    kept = count > 0
    probability = (larger * pairs).sum(dim=(1, 2))[kept] / count[kept]
    active_norm = (norms * active).sum(dim=1)[kept] / active.sum(dim=1)[kept]
    inactive_norm = (norms * inactive).sum(dim=1)[kept] / inactive.sum(dim=1)[kept]
    return Comparison(
        probability.tolist(), active_norm.tolist(), inactive_norm.tolist(), int((~kept).sum())
    )


def rewarded_contribution(
    params: dict[str, torch.Tensor], prompts: torch.Tensor, activation: str
) -> torch.Tensor:
    """[S, B, hidden]: each neuron's own contribution f(z_j)·(w2[r, j] − mean_a w2[a, j]) to the
    rewarded action's logit margin over the mean logit, on each prompt."""
    hidden = ACTIVATIONS[activation].torch_fn(preactivation(params, prompts))
    margin = params["w2"][:, REWARDED_ACTION] - params["w2"].mean(dim=1)  # [S, hidden]
    return hidden * margin[:, None, :]


@dataclass(frozen=True)
class SignedComparison:
    # Per kept seed: the share of the active set, and of the inactive set, whose rewarded
    # contribution rose (reinforced), and their difference.
    active_share: list[float]
    inactive_share: list[float]
    difference: list[float]
    # Per kept seed: the mean change of the rewarded contribution over each set.
    active_mean: list[float]
    inactive_mean: list[float]
    # Seeds left out because one of the sets was empty.
    left_out: int


def compare_signed(
    draws: Draws, final: dict[str, torch.Tensor], activation: str
) -> SignedComparison:
    """S20 on the direction of the rewarded behaviour (differential-reinforcement,
    active-set-reinforced): per neuron, the change of its rewarded contribution averaged over the
    probe prompts where it fired before training -- P1 for the active set, P2 for the inactive
    set, where each set's neurons fire; a neuron is reinforced when that change is positive. Per
    seed, the share of each set reinforced and the difference (a seed with an empty set is left
    out)."""
    active, inactive = neuron_sets(draws)
    changes = []
    for probe in (draws.probe_p1, draws.probe_p2):
        fires = (preactivation(draws.initial, probe) > 0).double()  # [S, probe, hidden]
        before = rewarded_contribution(draws.initial, probe, activation)
        after = rewarded_contribution(final, probe, activation)
        count = fires.sum(dim=1).clamp_min(1.0)
        changes.append(((after - before) * fires).sum(dim=1) / count)  # [S, hidden]
    change = torch.where(active, changes[0], changes[1])
    reinforced = (change > 0).double()
    kept = (active.sum(dim=1) > 0) & (inactive.sum(dim=1) > 0)

    def per_set(values: torch.Tensor, members: torch.Tensor) -> torch.Tensor:
        return (values * members).sum(dim=1)[kept] / members.sum(dim=1)[kept]

    active_share, inactive_share = per_set(reinforced, active), per_set(reinforced, inactive)
    return SignedComparison(
        active_share.tolist(),
        inactive_share.tolist(),
        (active_share - inactive_share).tolist(),
        per_set(change, active).tolist(),
        per_set(change, inactive).tolist(),
        int((~kept).sum()),
    )
