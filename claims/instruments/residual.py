"""Residual MLP stacks, optionally pre-LayerNorm: the block shape of every transformer's MLP.

x_0 = W_in u;  for each block b:  h = LN(x_b) (pre-LN) or x_b;  z_b = W_up,b h + c_b;
x_{b+1} = x_b + W_down,b f(z_b);  y = W_out x_B.  LayerNorm has no affine parameters here
(torch.nn.functional.layer_norm; Ba et al., arXiv:1607.06450), so every weight is a linear map
whose input activations are explicit.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional

from claims.instruments.activations import Activation
from claims.instruments.layers import linear
from claims.instruments.nets import Forward, LinearCall, generator, leaf, retained


@dataclass(frozen=True)
class ResidualStackSpec:
    # Width of the input u.
    input_width: int
    # Width of the residual stream x.
    stream_width: int
    # Hidden width of each block; its length is the number of blocks.
    hidden_widths: tuple[int, ...]
    # Width of the readout.
    output_width: int
    # Normalise the stream before each block (pre-LN, as in GPT-2 and later).
    pre_layernorm: bool
    # Whether the up-projections have biases.
    bias: bool
    # Weights are N(0, init_scale^2 / fan_in).
    init_scale: float
    # Seeds every weight and input.
    seed: int


@dataclass
class ResidualStack:
    embed: torch.Tensor
    # (up weight, up bias or None, down weight) per block.
    blocks: list[tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]]
    readout: torch.Tensor

    @property
    def parameters(self) -> list[torch.Tensor]:
        inner = [t for block in self.blocks for t in block if t is not None]
        return [self.embed, *inner, self.readout]


def build_residual_stack(
    spec: ResidualStackSpec, *, dtype: torch.dtype = torch.float64
) -> ResidualStack:
    gen = generator(spec.seed)

    def weight(rows: int, cols: int) -> torch.Tensor:
        values = torch.randn(rows, cols, generator=gen, dtype=torch.float64)
        return leaf(values * spec.init_scale / cols**0.5, dtype)

    embed = weight(spec.stream_width, spec.input_width)
    blocks = []
    for hidden in spec.hidden_widths:
        up = weight(hidden, spec.stream_width)
        bias = torch.randn(hidden, generator=gen, dtype=torch.float64) * spec.init_scale
        blocks.append(
            (up, leaf(bias, dtype) if spec.bias else None, weight(spec.stream_width, hidden))
        )
    return ResidualStack(embed, blocks, weight(spec.output_width, spec.stream_width))


def residual_stack_forward(
    stack: ResidualStack, inputs: torch.Tensor, activation: Activation, *, pre_layernorm: bool
) -> Forward:
    calls = []
    stream = retained(linear(inputs, stack.embed))
    calls.append(LinearCall("embed", stack.embed, inputs, stream))
    preactivations = []
    for index, (up, bias, down) in enumerate(stack.blocks):
        read = functional.layer_norm(stream, stream.shape[-1:]) if pre_layernorm else stream
        z = retained(linear(read, up, bias))
        hidden = activation.torch_fn(z)
        written = retained(linear(hidden, down))
        calls += [
            LinearCall(f"block{index}.up", up, read, z),
            LinearCall(f"block{index}.down", down, hidden, written),
        ]
        preactivations.append(z)
        stream = stream + written
    output = retained(linear(stream, stack.readout))
    calls.append(LinearCall("readout", stack.readout, stream, output))
    return Forward(preactivations, output, calls)
