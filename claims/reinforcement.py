"""What training did to each planted circuit: weight movement and behaviour change, per seed.

Weight movement: ‖Δθ‖ over a circuit's incoming parameters (reads, bias, and the gated unit's
up-projection rows) and over its outgoing ones (its columns of the first layer it writes to).
Behaviour: the rewarded action's logit computed with only that circuit's neurons switched on, on
the prompt that activates the circuit (an ordinary prompt for A, a trigger prompt for D); the
change of that logit from before to after training is what S14 calls reinforcing the motive.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims import policies
from claims.policies import Training, TwinDesign


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


def _norm(parts: list[torch.Tensor]) -> torch.Tensor:
    return torch.sqrt(sum(part.flatten(1).pow(2).sum(dim=1) for part in parts))


def ratio(inactive: torch.Tensor, active: torch.Tensor) -> torch.Tensor:
    """Per-seed D / A ratio; a seed where A did not move at all is an error, not a 0 or an inf."""
    if (active == 0).any():
        raise ValueError("circuit A did not change on some seed: the ratio is undefined")
    return inactive / active
