"""What training did to each planted circuit: weight movement and behaviour change, per seed.

Weight movement: ‖Δθ‖ over a circuit's incoming parameters (reads, bias, and the gated unit's
up-projection rows) and over its outgoing ones (its columns of the first layer it writes to).
Behaviour: the rewarded action's logit computed with only that circuit's neurons switched on, on
the prompt that activates the circuit (an ordinary prompt for A, a trigger prompt for D); the
change of that logit from before to after training is what S14 calls reinforcing the motive.
Exact checks beside the norms: circuit_logits (every action's logit, for bit-identical twins),
unchanged_neurons (neurons whose incoming parameters never moved) and decay_replay (D's
parameters under AdamW's decoupled decay alone, to compare with D's final ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.experiments import policies
from claims.experiments.policies import Training, TwinDesign
from claims.instruments import optimizers


@dataclass(frozen=True)
class CircuitChange:
    # Per seed [S]: norm of the change of the circuit's incoming parameters.
    incoming: torch.Tensor
    # Per seed [S]: norm of the change of its outgoing weights.
    outgoing: torch.Tensor
    # Per seed [S]: change of the rewarded logit through this circuit alone, on its own prompt.
    behaviour: torch.Tensor


def circuit_change(design: TwinDesign, training: Training, circuit: str) -> CircuitChange:
    neurons = design.circuit_a if circuit == "A" else design.circuit_d
    incoming_names = ["reads", "bias"] + (["up"] if "up" in training.initial else [])
    incoming = _norm(
        [training.final[n][:, neurons] - training.initial[n][:, neurons] for n in incoming_names]
    )
    first_write = "writes" if design.readout == "private" else "motive"
    outgoing = _norm(
        [training.final[first_write][..., neurons] - training.initial[first_write][..., neurons]]
    )
    before = circuit_logit(design, training.initial, circuit)
    after = circuit_logit(design, training.final, circuit)
    return CircuitChange(incoming, outgoing, after - before)


def circuit_logit(
    design: TwinDesign, params: dict[str, torch.Tensor], circuit: str
) -> torch.Tensor:
    """Rewarded logit with only ``circuit``'s neurons on, on a noiseless prompt that drives it."""
    seeds = params["reads"].shape[0]
    prompt = torch.zeros(seeds, 1, design.features, dtype=torch.float64)
    prompt[..., policies.CONSTANT] = 1.0
    prompt[..., policies.ORDINARY if circuit == "A" else policies.TRIGGER] = 1.0
    _, hidden = policies.hidden_activity(params, prompt, design)
    keep = torch.zeros(design.hidden, dtype=torch.float64)
    keep[design.circuit_a if circuit == "A" else design.circuit_d] = 1.0
    hidden = hidden * keep
    if design.readout == "shared":
        hidden = torch.einsum("sbh,smh->sbm", hidden, params["motive"])
    return torch.einsum("sbh,sah->sba", hidden, params["writes"])[:, 0, policies.REWARDED_ACTION]


def circuit_logits(
    design: TwinDesign, params: dict[str, torch.Tensor], circuit: str
) -> torch.Tensor:
    """Every action's logit [S, actions] through ``circuit``'s neurons alone, on its own prompt.

    Like circuit_logit, but the circuit's neurons are sliced out rather than the others masked
    to zero, so the readout sums the same few terms in the same order for A and for D: with
    TwinDesign(equal_outputs=True), margin 1 and gain 2, A on a noiseless ordinary prompt and D
    on a noiseless trigger prompt give bit-identical logits (torch.equal), whatever the
    activation and readout. (circuit_logit keeps its masked form: the factorial's committed
    behaviour numbers come from it.)
    """
    neurons = design.circuit_a if circuit == "A" else design.circuit_d
    seeds = params["reads"].shape[0]
    prompt = torch.zeros(seeds, 1, design.features, dtype=torch.float64)
    prompt[..., policies.CONSTANT] = 1.0
    prompt[..., policies.ORDINARY if circuit == "A" else policies.TRIGGER] = 1.0
    _, hidden = policies.hidden_activity(params, prompt, design)
    hidden = hidden[..., neurons]
    if design.readout == "shared":
        hidden = torch.einsum("sbh,smh->sbm", hidden, params["motive"][..., neurons])
        return torch.einsum("sbm,sam->sba", hidden, params["writes"])[:, 0]
    return torch.einsum("sbh,sah->sba", hidden, params["writes"][..., neurons])[:, 0]


def circuit_parameters(
    design: TwinDesign, params: dict[str, torch.Tensor], circuit: str
) -> dict[str, torch.Tensor]:
    """The circuit's own parameters, by name: its rows of reads, bias (and up), [S, width, ...],
    and its columns of the first layer it writes to ("writes" or "motive"), [S, rows, width]."""
    neurons = design.circuit_a if circuit == "A" else design.circuit_d
    own = {n: params[n][:, neurons] for n in ("reads", "bias", "up") if n in params}
    first_write = "writes" if design.readout == "private" else "motive"
    own[first_write] = params[first_write][..., neurons]
    return own


def unchanged_neurons(design: TwinDesign, training: Training, circuit: str = "A") -> torch.Tensor:
    """Per seed [S]: how many of the circuit's neurons have incoming parameters exactly unchanged.

    A neuron of A that never moved (e.g. one that REINFORCE's zero-advantage batches left
    alone) is why a D/A ratio can be undefined; this counts them instead of dividing by zero.
    """
    neurons = design.circuit_a if circuit == "A" else design.circuit_d
    moved = torch.zeros(training.initial["bias"].shape[0], design.circuit_width, dtype=torch.bool)
    for name in ("reads", "bias", "up"):
        if name not in training.initial:
            continue
        change = training.final[name][:, neurons] != training.initial[name][:, neurons]
        moved |= change.flatten(2).any(dim=2) if change.dim() > 2 else change
    return (~moved).sum(dim=1)


def decay_replay(design: TwinDesign, training: Training, steps: int) -> dict[str, torch.Tensor]:
    """D's initial parameters after ``steps`` of AdamW's decoupled decay alone (no gradient).

    Compare with circuit_parameters(design, training.final, "D") by torch.equal: equal bit for
    bit exactly when AdamW (claims.instruments.optimizers.OPTIMIZERS["adamw"]) never saw a non-zero
    gradient on D's parameters in those steps (claims.instruments.optimizers.decoupled_decay says why).
    """
    lr, weight_decay = optimizers.adamw_hyperparameters()
    initial = circuit_parameters(design, training.initial, "D")
    return {
        name: optimizers.decoupled_decay(value, steps, lr=lr, weight_decay=weight_decay)
        for name, value in initial.items()
    }


def _norm(parts: list[torch.Tensor]) -> torch.Tensor:
    return torch.sqrt(sum(part.flatten(1).pow(2).sum(dim=1) for part in parts))


def ratio(inactive: torch.Tensor, active: torch.Tensor) -> torch.Tensor:
    """Per-seed D / A ratio; a seed where A did not move at all is an error, not a 0 or an inf."""
    if (active == 0).any():
        raise ValueError("circuit A did not change on some seed: the ratio is undefined")
    return inactive / active


# --- behaviour under the whole policy, against a control prompt (differential-reinforcement) ---

# Noiseless prompts: cued switches A on, trigger switches D on, plain switches neither on (the
# control: whatever training does to every prompt shows here too).
PROMPT_KINDS = ("cued", "trigger", "plain")


def noiseless_prompt(design: TwinDesign, kind: str, seeds: int) -> torch.Tensor:
    """[S, 1, features]: the constant channel, plus the ordinary feature (cued) or the trigger
    (trigger) or nothing more (plain). ValueError for another kind."""
    if kind not in PROMPT_KINDS:
        raise ValueError(f"prompt kind must be one of {', '.join(PROMPT_KINDS)}, got {kind!r}")
    prompt = torch.zeros(seeds, 1, design.features, dtype=torch.float64)
    prompt[..., policies.CONSTANT] = 1.0
    if kind != "plain":
        prompt[..., policies.ORDINARY if kind == "cued" else policies.TRIGGER] = 1.0
    return prompt


def log_odds(
    design: TwinDesign, params: dict[str, torch.Tensor], kind: str, action: int
) -> torch.Tensor:
    """Per seed [S]: log π(action) − log(1 − π(action)) under the whole policy on a noiseless
    prompt of ``kind``, computed from log-softmax (log1p of −π for the complement)."""
    seeds = params["reads"].shape[0]
    logits = policies.logits(params, noiseless_prompt(design, kind, seeds), design)[:, 0]
    log_p = torch.log_softmax(logits, dim=-1)[:, action]
    return log_p - torch.log1p(-log_p.exp())


def controlled_change(
    design: TwinDesign,
    before: dict[str, torch.Tensor],
    after: dict[str, torch.Tensor],
    kind: str,
    action: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per seed [S]: (Δ log-odds of ``action`` on a ``kind`` prompt, the same minus its Δ on the
    plain prompt): the raw change and the change against the control (differential-reinforcement,
    "Decision rules")."""
    change = log_odds(design, after, kind, action) - log_odds(design, before, kind, action)
    control = log_odds(design, after, "plain", action) - log_odds(design, before, "plain", action)
    return change, change - control


def shared_path_change(design: TwinDesign, training: Training) -> torch.Tensor:
    """Per seed [S]: the change of the rewarded logit through D alone on a noiseless trigger prompt
    when D's own parameters (reads, bias, up rows, its motive or write columns) stay at their
    initial values and every other parameter takes its trained value: what reaches D through the
    downstream weights it shares (activation-scaling, S05). Zero with a private readout, where D
    shares no weight."""
    mixed = {name: value.clone() for name, value in training.final.items()}
    neurons = design.circuit_d
    for name in ("reads", "bias", "up"):
        if name in mixed:
            mixed[name][:, neurons] = training.initial[name][:, neurons]
    first_write = "writes" if design.readout == "private" else "motive"
    mixed[first_write][..., neurons] = training.initial[first_write][..., neurons]
    return circuit_logit(design, mixed, "D") - circuit_logit(design, training.initial, "D")


def neuron_changes(
    design: TwinDesign, training: Training, circuit: str
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per seed and neuron of ``circuit`` ([S, width] each): the norm of the change of its incoming
    parameters (its rows of reads, bias, up) and of its outgoing weights (its column of the first
    layer it writes to)."""
    neurons = design.circuit_a if circuit == "A" else design.circuit_d

    def per_neuron(name: str, column: bool) -> torch.Tensor:
        change = training.final[name] - training.initial[name]
        if column:
            return change[..., neurons].pow(2).sum(dim=1)
        change = change[:, neurons]
        return change.pow(2).flatten(2).sum(dim=2) if change.dim() > 2 else change.pow(2)

    incoming = sum(per_neuron(n, False) for n in ("reads", "bias", "up") if n in training.initial)
    first_write = "writes" if design.readout == "private" else "motive"
    return incoming.sqrt(), per_neuron(first_write, True).sqrt()


def least_moved_ratio(design: TwinDesign, training: Training) -> torch.Tensor:
    """Per seed [S]: min over D's neurons j of max(in_j, out_j), where in_j = ‖Δθ_Dj,in‖ over A's
    mean ‖Δθ_Ai,in‖ and out_j the same for outgoing weights (inactive-circuit-not-reinforced, S11:
    some neuron of D effectively not reinforced). ValueError if A did not move on some seed."""
    a_in, a_out = neuron_changes(design, training, "A")
    d_in, d_out = neuron_changes(design, training, "D")
    mean_in, mean_out = a_in.mean(dim=1, keepdim=True), a_out.mean(dim=1, keepdim=True)
    if (mean_in == 0).any() or (mean_out == 0).any():
        raise ValueError("circuit A did not change on some seed: the ratio is undefined")
    return torch.maximum(d_in / mean_in, d_out / mean_out).amin(dim=1)


def controlled_trajectory(
    design: TwinDesign, training: Training, kind: str, action: int
) -> torch.Tensor:
    """[steps + 1, S]: the controlled change of ``action``'s log-odds on ``kind`` prompts after
    each training step (row 0: before training, all zeros). Needs a run with a trajectory."""
    if training.trajectory is None:
        raise ValueError("the run kept no trajectory (policies.train(keep_trajectory=True))")
    steps = next(iter(training.trajectory.values())).shape[0]
    rows = [torch.zeros(training.initial["bias"].shape[0], dtype=torch.float64)]
    for t in range(steps):
        after = {name: value[t] for name, value in training.trajectory.items()}
        rows.append(controlled_change(design, training.initial, after, kind, action)[1])
    return torch.stack(rows)
