"""How much incoming-weight gradient lands on negative-preactivation neurons, per network.

For hidden neuron j and token t, the gradient of its incoming weight row is δ_{j,t}·a_t (the
activation-scaling identity), with squared norm δ_{j,t}² ||a_t||². The share is the part of
Σ δ² ||a||² over (j, t) with z_{j,t} < 0: 0 exactly for ReLU, and the measure of "very nearly"
for smooth activations.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.instruments import nets, residual
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.backprop import NetworkSpec, Pass, backward_pass

# Examples per network: the share is pooled over them.
EXAMPLES = 16
LEAKY_EPSILON = 0.01


@dataclass(frozen=True)
class Share:
    # Share of incoming-weight squared gradient on negative-preactivation (neuron, token) pairs.
    gradient: float
    # Share of negative-preactivation (neuron, token) pairs with |f'(z)| > LEAKY_EPSILON.
    leaky_inactive: float
    # Negative-preactivation (neuron, token) pairs seen.
    inactive: int


def seeded_network(seed: int) -> NetworkSpec:
    """A random architecture for experiment seed ``seed``: 3 in 4 MLPs, 1 in 4 pre-LN blocks."""
    gen = nets.generator(seed)

    def integer(low: int, high: int) -> int:
        return int(torch.randint(low, high + 1, (), generator=gen))

    if seed % 4 == 3:
        return residual.ResidualStackSpec(
            input_width=integer(8, 64),
            stream_width=integer(8, 64),
            hidden_widths=(integer(8, 64),),
            output_width=integer(1, 8),
            pre_layernorm=True,
            bias=True,
            init_scale=1.0,
            seed=seed,
        )
    depth = integer(1, 4)
    return nets.MLPSpec(
        input_width=integer(8, 64),
        hidden_widths=tuple(integer(8, 64) for _ in range(depth)),
        output_width=integer(1, 8),
        bias=True,
        init_scale=1.0,
        seed=seed,
    )


def inactive_share(run: Pass, activation: str) -> Share:
    hidden = {id(z) for z in run.forward.preactivations}
    inactive_mass = total_mass = 0.0
    leaky = inactive = 0
    for call in run.forward.linear_calls:
        if id(call.output) not in hidden:
            continue
        z = call.output.detach()
        mass = call.output.grad**2 * (call.inputs.detach() ** 2).sum(dim=-1, keepdim=True)
        negative = z < 0
        inactive_mass += mass[negative].sum().item()
        total_mass += mass.sum().item()
        slope = derivative(z, activation)
        leaky += int((negative & (slope.abs() > LEAKY_EPSILON)).sum())
        inactive += int(negative.sum())
    if total_mass == 0:
        raise ValueError("no gradient reached any hidden layer: the share is undefined")
    return Share(inactive_mass / total_mass, leaky / inactive if inactive else 0.0, inactive)


def derivative(z: torch.Tensor, activation: str) -> torch.Tensor:
    """f'(z) elementwise, by torch autograd (what training actually uses)."""
    point = z.detach().clone().requires_grad_(True)
    ACTIVATIONS[activation].torch_fn(point).sum().backward()
    return point.grad


def network_share(spec: NetworkSpec, activation: str) -> Share:
    return inactive_share(backward_pass(spec, activation, batch_shape=(EXAMPLES,)), activation)
