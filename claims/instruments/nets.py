"""Small torch networks built from a spec and a seed, with every preactivation exposed.

Networks are written out as explicit weight tensors rather than ``nn.Module``s so a test can name
exactly the tensor a proposition is about: the incoming weight row of neuron j of layer l is
``mlp.weights[l][j]``, its outgoing weight column is ``mlp.weights[l + 1][:, j]``. All random
values come from a ``torch.Generator`` seeded by the spec, so a Hypothesis-drawn seed replays
and shrinks the whole network.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.instruments.activations import Activation
from claims.instruments.layers import linear


@dataclass(frozen=True)
class MLPSpec:
    # Width of the input vector.
    input_width: int
    # Width of each hidden layer; its length is the depth.
    hidden_widths: tuple[int, ...]
    # Width of the linear readout.
    output_width: int
    # Whether every layer has a bias vector.
    bias: bool
    # Weights are N(0, init_scale^2 / fan_in): 1.0 is LeCun-normal scale.
    init_scale: float
    # Seeds the generator every weight and input is drawn from.
    seed: int

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.input_width, *self.hidden_widths, self.output_width)


@dataclass
class MLP:
    # weights[l] maps layer l's input to its preactivation; the last one is the readout.
    weights: list[torch.Tensor]
    # biases[l] is None when the spec has no biases.
    biases: list[torch.Tensor | None]

    @property
    def parameters(self) -> list[torch.Tensor]:
        return [
            t for pair in zip(self.weights, self.biases, strict=True) for t in pair if t is not None
        ]


@dataclass
class LinearCall:
    """One application of a linear map: what went in, the weight, and what came out."""

    # Where it sits, e.g. "W0" or "block1.down".
    name: str
    # The weight leaf, whose .grad autograd fills.
    weight: torch.Tensor
    # The activations a the map read (the neurons its weights leave).
    inputs: torch.Tensor
    # Its output z = W a + b, with .grad (the error signal delta) retained.
    output: torch.Tensor


@dataclass
class Forward:
    # Hidden-layer preactivations z_l = W_l a_{l-1} + b_l, with .grad retained after backward.
    preactivations: list[torch.Tensor]
    # Network output (the readout's preactivation; no activation on it).
    output: torch.Tensor
    # Every linear map applied, in order (the last is the readout).
    linear_calls: list[LinearCall]


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def build_mlp(spec: MLPSpec, *, dtype: torch.dtype = torch.float64) -> MLP:
    """Draw the network's parameters from the spec's seed."""
    gen = generator(spec.seed)
    weights, biases = [], []
    for fan_in, fan_out in zip(spec.widths[:-1], spec.widths[1:], strict=True):
        std = spec.init_scale / fan_in**0.5
        weights.append(
            leaf(torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64) * std, dtype)
        )
        bias = torch.randn(fan_out, generator=gen, dtype=torch.float64) * spec.init_scale
        biases.append(leaf(bias, dtype) if spec.bias else None)
    return MLP(weights=weights, biases=biases)


def draw_inputs(
    spec: MLPSpec, *, batch_shape: tuple[int, ...] = (), dtype: torch.dtype = torch.float64
) -> tuple[torch.Tensor, torch.Tensor]:
    """An input batch and a regression target, drawn after the weights from a derived seed."""
    gen = generator(spec.seed + 1)
    inputs = torch.randn(*batch_shape, spec.input_width, generator=gen, dtype=torch.float64)
    target = torch.randn(*batch_shape, spec.output_width, generator=gen, dtype=torch.float64)
    return inputs.to(dtype), target.to(dtype)


def forward(mlp: MLP, inputs: torch.Tensor, activation: Activation) -> Forward:
    """Run the MLP, keeping each preactivation and its gradient for inspection.

    ``inputs``: (..., input_width); the output is (..., output_width). Under ``torch.no_grad()``
    (an inspection pass inside a training loop) the same tensors come back, with no graph and
    no ``.grad`` to retain.
    """
    hidden = inputs
    preactivations, calls = [], []
    for layer, (weight, bias) in enumerate(zip(mlp.weights, mlp.biases, strict=True)):
        z = retained(linear(hidden, weight, bias))
        calls.append(LinearCall(f"W{layer}", weight, hidden, z))
        if layer == len(mlp.weights) - 1:
            return Forward(preactivations, z, calls)
        preactivations.append(z)
        hidden = activation.torch_fn(z)
    raise ValueError("an MLP has at least its readout layer")


def retained(tensor: torch.Tensor) -> torch.Tensor:
    """Keep ``tensor.grad`` after backward (it is not a leaf); a tensor outside autograd (made
    under ``torch.no_grad()``, or from inputs and weights that need no gradient) has no
    ``.grad`` to keep and is returned as it is."""
    if tensor.requires_grad:
        tensor.retain_grad()
    return tensor


def squared_error(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L = 1/2 sum (y - t)^2, summed (not averaged) over any batch dimensions."""
    return 0.5 * ((output - target) ** 2).sum()


def with_outgoing_weights(
    mlp: MLP, *, layer: int, neurons: torch.Tensor, values: torch.Tensor
) -> MLP:
    """A copy of the MLP whose hidden layer ``layer`` neurons send ``values`` downstream.

    ``values`` has shape (next_width, len(neurons)) and replaces columns ``neurons`` of the
    weight that reads layer ``layer``'s activations.
    """
    weights = [w.detach().clone() for w in mlp.weights]
    weights[layer + 1][:, neurons] = values.to(weights[layer + 1].dtype)
    biases = [None if b is None else b.detach().clone() for b in mlp.biases]
    return MLP(
        [leaf(w, w.dtype) for w in weights],
        [None if b is None else leaf(b, b.dtype) for b in biases],
    )


def inactive_mask(preactivation: torch.Tensor) -> torch.Tensor:
    """Neurons the source calls inactive: strictly negative preactivation."""
    return preactivation.detach() < 0


@dataclass(frozen=True)
class ResidualSpec:
    # Width of the input u to the layer before the block.
    input_width: int
    # Width of the residual stream x (the block's input and output).
    residual_width: int
    # Width of the block's hidden ReLU layer.
    hidden_width: int
    # Weights are N(0, init_scale^2 / fan_in).
    init_scale: float
    # Seeds every weight, the input and the target.
    seed: int


@dataclass
class ResidualNet:
    # The earlier layer: x = embed @ u.
    embed: torch.Tensor
    # The block: y = x + down @ f(up @ x + bias).
    up: torch.Tensor
    bias: torch.Tensor
    down: torch.Tensor


@dataclass
class ResidualForward:
    # Residual stream entering the block (grad retained).
    stream_in: torch.Tensor
    # The block's hidden preactivation.
    preactivation: torch.Tensor
    # Block output y (grad retained).
    output: torch.Tensor


def build_silenced_residual(spec: ResidualSpec) -> tuple[ResidualNet, torch.Tensor, torch.Tensor]:
    """A layer then a residual block whose hidden neurons are all inactive on the drawn input.

    The bias is set to b = -(|W1| |x| + 1) elementwise, so every preactivation W1 x + b <= -1.
    Returns (net, input u, regression target).
    """
    gen = generator(spec.seed)

    def weight(rows: int, cols: int) -> torch.Tensor:
        return (
            torch.randn(rows, cols, generator=gen, dtype=torch.float64)
            * spec.init_scale
            / cols**0.5
        )

    embed = weight(spec.residual_width, spec.input_width)
    up = weight(spec.hidden_width, spec.residual_width)
    down = weight(spec.residual_width, spec.hidden_width)
    inputs = torch.randn(spec.input_width, generator=gen, dtype=torch.float64)
    target = torch.randn(spec.residual_width, generator=gen, dtype=torch.float64)
    stream = embed @ inputs
    bias = -(up.abs() @ stream.abs() + 1.0)
    net = ResidualNet(*(leaf(t, torch.float64) for t in (embed, up, bias, down)))
    return net, inputs, target


def residual_forward(
    net: ResidualNet, inputs: torch.Tensor, activation: Activation
) -> ResidualForward:
    stream = retained(linear(inputs, net.embed))
    preactivation = linear(stream, net.up, net.bias)
    output = retained(stream + linear(activation.torch_fn(preactivation), net.down))
    return ResidualForward(stream, preactivation, output)


def leaf(values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return values.detach().to(dtype).clone().requires_grad_(True)
