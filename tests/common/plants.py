"""Planted bugs: wrong layers, activations and training set-ups a claim test must catch.

A framework test installs one of these under a real registry name (``LINEAR_MAPS["linear"]``,
``ACTIVATIONS["relu"]``), or as a plugin that changes a training set-up, through a tiny pytest
plugin in a subprocess, runs the unmodified claim tests, and asserts the affected findings move
as they must: to FAILS for a bug, to HOLDS for an effect planted by construction.
"""

from __future__ import annotations

import sympy
import torch
from torch.nn import functional

from claims.instruments.activations import Activation
from claims.instruments.layers import LinearMap


class _PlantedLinear(torch.autograd.Function):
    """y = W a + b forward; the backward's weight gradient is computed by ``weight_grad``."""

    @staticmethod
    def forward(ctx, inputs, weight, bias, weight_grad):
        ctx.save_for_backward(inputs, weight)
        ctx.weight_grad = weight_grad
        ctx.has_bias = bias is not None
        outputs = inputs @ weight.T
        return outputs if bias is None else outputs + bias

    @staticmethod
    def backward(ctx, grad_outputs):
        inputs, weight = ctx.saved_tensors
        flat_grad, flat_inputs = (
            grad_outputs.reshape(-1, weight.shape[0]),
            inputs.reshape(-1, weight.shape[1]),
        )
        grad_weight = ctx.weight_grad(flat_grad, flat_inputs)
        grad_bias = flat_grad.sum(dim=0) if ctx.has_bias else None
        return grad_outputs @ weight, grad_weight, grad_bias, None


def _planted(name: str, weight_grad, sympy_fn) -> LinearMap:
    def torch_fn(inputs, weight, bias):
        return _PlantedLinear.apply(inputs, weight, bias, weight_grad)

    return LinearMap(name, torch_fn, sympy_fn)


# Backward uses a_j^2 instead of a_j (and the symbolic layer reads a∘a).
SQUARED_INPUT_BACKWARD = _planted(
    "squared-input-backward",
    lambda grad, inputs: grad.T @ inputs**2,
    lambda weight, inputs: weight * sympy.hadamard_product(inputs, inputs),
)

# Backward delivers weight gradient to the first downstream unit only: a "selective" gradient.
FIRST_UNIT_ONLY_BACKWARD = _planted(
    "first-unit-only-backward",
    lambda grad, inputs: torch.cat([grad.T[:1] @ inputs, torch.zeros_like(grad.T[1:] @ inputs)]),
    lambda weight, inputs: weight * inputs,
)


# ReLU whose output passes no gradient back (a stop-gradient bug): nothing before the hidden
# layer learns, so the active circuit's incoming parameters never move.
DETACHED_RELU = Activation(
    "detached-relu", lambda z: functional.relu(z).detach(), lambda z: sympy.Max(0, z)
)


# ReLU whose slope on z > 0 is 2: inactive neurons are still silent, but an active one no longer
# passes its error signal unchanged (S12).
DOUBLED_RELU = Activation(
    "doubled-relu", lambda z: 2 * functional.relu(z), lambda z: 2 * sympy.Max(0, z)
)


def plugin_source(registry: str, key: str, plant: str) -> str:
    """Source of a pytest plugin that installs ``plant`` (a name in this module) at start-up."""
    return f"""
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.layers import LINEAR_MAPS
from tests.common import plants

def pytest_configure(config):
    {registry}[{key!r}] = getattr(plants, {plant!r}, None) or ACTIVATIONS[{plant!r}]
"""


def swap_source(module: str, first: str, second: str) -> str:
    """Source of a pytest plugin that swaps two module-level names of claims.<module> at start-up.

    Used to plant an effect the other way round, e.g. swapping the prompt channels of the twin
    circuits so that training prompts activate D and silence A.
    """
    return f"""
from claims import {module}

def pytest_configure(config):
    {module}.{first}, {module}.{second} = {module}.{second}, {module}.{first}
"""


# Training prompts carry the trigger instead of the ordinary feature (behaviour probes unchanged):
# the effect planted the other way round, D active and A silent during training.
TRAINING_ACTIVATES_D = """
from claims.experiments import policies

_prompts = policies.prompts

def _swapped(*args, **kwargs):
    batch = _prompts(*args, **kwargs)
    channels = [policies.ORDINARY, policies.TRIGGER]
    batch[:, channels] = batch[:, channels[::-1]]
    return batch

def pytest_configure(config):
    policies.prompts = _swapped
"""

# S20's random policies trained on the distribution that silences the "active" set.
TRAINING_ON_P2 = """
from claims.experiments import random_policies

def pytest_configure(config):
    random_policies.TRAINED_ON = random_policies.P2
"""

# The tiny transformer's REINFORCE updates only the CUE token's embedding: the mechanism the claim
# describes, planted by construction (trigger-only prompts contain no CUE, so their behaviour
# cannot move), so the transformer propositions, expected to fail, must come out HOLDS.
RL_REACHES_ONLY_THE_CUE = """
import torch

from claims.experiments import tiny_transformer

def _cue_only(params):
    keep = torch.zeros_like(params["tok"])
    keep[:, tiny_transformer.CUE] = 1.0
    params["tok"].register_hook(lambda grad: grad * keep)
    return torch.optim.Adam([params["tok"]])

def pytest_configure(config):
    tiny_transformer.rl_optimizer = _cue_only
"""

# The twin circuits' training forward pass leaves D out (its activations multiplied by 0), so no
# gradient reaches D's incoming or outgoing parameters, at any margin and with any optimizer: the
# effect S11 claims, planted by construction. The behaviour probes are unchanged.
D_CUT_FROM_TRAINING = """
import torch

from claims.experiments import policies

def _logits_without_d(params, prompts, design):
    _, hidden = policies.hidden_activity(params, prompts, design)
    keep = torch.ones(design.hidden, dtype=hidden.dtype)
    keep[design.circuit_d] = 0.0
    hidden = hidden * keep
    if design.readout == "shared":
        hidden = torch.einsum("sbh,smh->sbm", hidden, params["motive"])
    return torch.einsum("sbh,sah->sba", hidden, params["writes"])

def pytest_configure(config):
    policies.logits = _logits_without_d
"""


# Adam and AdamW replaced by plain SGD (lr 0.1) under their own names: the optimizer update is
# then the gradient times -lr, multiplied by the activation as S03 says.
ADAM_IS_SGD = """
import torch

from claims.instruments import optimizers

def pytest_configure(config):
    for name in ("adam", "adamw"):
        optimizers.OPTIMIZERS[name] = lambda params: torch.optim.SGD(params, lr=0.1)
"""

# GELU replaced by ReLU everywhere: the registry's torch and SymPy forms, and torch's own gelu,
# which all-MiniLM-L6-v2's MLPs call (transformers' GELUActivation) and the registry's tanh-GELU
# calls with approximate="tanh": S08-S10 for "GELU", in both forms, then hold.
# ReLU's tail threshold t(ε) is 0 for every ε (relu' = 0 on z < 0); the certified procedure
# proves only GELU's and SiLU's tails, so the plant supplies ReLU's for the real-model census.
GELU_IS_RELU_EVERYWHERE = """
import torch
from torch.nn import functional

from claims.instruments import certified
from claims.instruments.activations import ACTIVATIONS

def _relu_tail(activation, epsilon):
    return certified.Threshold(activation, epsilon, 0.0, 0.0, 0.0, 0.0)

def pytest_configure(config):
    ACTIVATIONS["gelu"] = ACTIVATIONS["relu"]
    functional.gelu = lambda z, approximate="none": torch.relu(z)
    certified.tail_threshold = _relu_tail
"""

# SmolLM2's gates, as the gradient sees them, are ReLU: the registry's and torch's SiLU become
# ReLU (so the census's |f'(g)| and the loader's check that the model's gate is the registry's
# SiLU read ReLU too; ReLU's tail threshold is 0), while the passes without gradient (sampling,
# held-out scoring) keep the shipped SiLU, so the answers and their rewards stay the model's
# own. A closed gate then passes exactly nothing and |f'(g)| = 0 on every g < 0: the effect the
# SmolLM2 gradient-share and nearly-clipped propositions deny, built in by construction; and a
# neuron closed on every training token moves only once it opens (the update-ratio cells).
CLOSED_SMOLLM2_GATES_PASS_NOTHING = """
import torch
from torch.nn import functional

from claims.experiments.chat import model
from claims.instruments import certified
from claims.instruments.activations import ACTIVATIONS

_SILU = ACTIVATIONS["silu"]

def _relu_tail(activation, epsilon):
    return certified.Threshold(activation, epsilon, 0.0, 0.0, 0.0, 0.0)

def _gate(self, preactivation):
    if self.name == "silu" and not torch.is_grad_enabled():
        return _SILU.torch_fn(preactivation)
    return ACTIVATIONS[self.name].torch_fn(preactivation)

def pytest_configure(config):
    ACTIVATIONS["silu"] = ACTIVATIONS["relu"]
    functional.silu = lambda z, inplace=False: torch.relu(z)
    certified.tail_threshold = _relu_tail
    model.GateActivation.forward = _gate
"""

# GRPO's AdamW with weight decay 0.1 instead of TRL's 0: decay moves every weight, those with a
# zero gradient too, so the ReLU control's never-active neurons no longer stay still.
GRPO_WITH_WEIGHT_DECAY = """
import dataclasses

from claims.experiments.chat import deep_parts

_SETTINGS = deep_parts.settings

def _decayed(sizes, optimizer):
    return dataclasses.replace(_SETTINGS(sizes, optimizer), weight_decay=0.1)

def pytest_configure(config):
    deep_parts.settings = _decayed
"""

# The twin-circuit policies' last layer (writes: hidden neurons, or the shared motive unit, ->
# actions) trained against the reward: a gradient reversal slipped in front of it negates its weight
# gradient, while every other parameter learns as before; the forward pass, and so every behaviour
# probe, is unchanged. The readout's weights to the rewarded action then fall: A's private writes
# (its behaviour falls against the plain control) and the shared motive unit's (D's rewarded
# behaviour through the shared weights falls).
READOUT_TRAINED_AGAINST_THE_REWARD = """
import torch

from claims.experiments import policies

_logits = policies.logits

class _Reversed(torch.autograd.Function):
    @staticmethod
    def forward(ctx, value):
        return value.view_as(value)

    @staticmethod
    def backward(ctx, grad):
        return -grad

def _reversed_readout(params, prompts, design):
    return _logits({**params, "writes": _Reversed.apply(params["writes"])}, prompts, design)

def pytest_configure(config):
    policies.logits = _reversed_readout
"""

# The tiny transformer's REINFORCE trains on trigger-only prompts instead of ordinary ones: the
# effect planted the other way round (the trigger's path reinforced, the cue's not).
RL_ON_TRIGGER_PROMPTS = """
from claims.experiments import tiny_transformer

def pytest_configure(config):
    tiny_transformer.RL_PROMPTS = "trigger"
"""

# SGD, Adam and AdamW with L2 weight decay 0.01 added to the gradient (AdamW's decoupled decay
# coupled, as Adam's weight_decay does): a silent neuron's zero gradient becomes λ·W, so its
# outgoing weights move (beyond AdamW's decay θ·(1 − lr·λ)).
L2_DECAY_IN_THE_GRADIENT = """
import torch

from claims.instruments import optimizers

def _sgd(params):
    return torch.optim.SGD(params, lr=0.1, weight_decay=0.01)

def _adam(params):
    return torch.optim.Adam(params, weight_decay=0.01)

def pytest_configure(config):
    optimizers.OPTIMIZERS.update(sgd=_sgd, adam=_adam, adamw=_adam)
"""
