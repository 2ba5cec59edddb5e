"""One forward and backward pass through any network spec the strategies draw."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.instruments import nets, residual
from claims.instruments.activations import ACTIVATIONS

NetworkSpec = nets.MLPSpec | residual.ResidualStackSpec


@dataclass
class Pass:
    # Every trainable tensor, with .grad filled.
    parameters: list[torch.Tensor]
    # The forward record: preactivations, output, linear calls (all with .grad).
    forward: nets.Forward


def backward_pass(
    spec: NetworkSpec,
    activation: str,
    *,
    batch_shape: tuple[int, ...] = (),
    dtype: torch.dtype = torch.float64,
) -> Pass:
    """Build the network from its seed, run a squared-error loss forward and backward.

    The activation is looked up by name at call time, so a planted activation takes effect.
    The loss is summed over ``batch_shape`` (empty: one example).
    """
    act = ACTIVATIONS[activation]
    inputs = torch.randn(
        *batch_shape, spec.input_width, generator=nets.generator(spec.seed + 1), dtype=torch.float64
    ).to(dtype)
    target = torch.randn(
        *batch_shape,
        spec.output_width,
        generator=nets.generator(spec.seed + 2),
        dtype=torch.float64,
    ).to(dtype)
    if isinstance(spec, nets.MLPSpec):
        network = nets.build_mlp(spec, dtype=dtype)
        run = nets.forward(network, inputs, act)
    else:
        network = residual.build_residual_stack(spec, dtype=dtype)
        run = residual.residual_stack_forward(
            network, inputs, act, pre_layernorm=spec.pre_layernorm
        )
    nets.squared_error(run.output, target).backward()
    return Pass(network.parameters, run)
