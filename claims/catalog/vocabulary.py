"""The words the claim modules share: how activations and optimizers are named in grids, keys and
scopes; the conditions the source asserts; the scope of a batched float64 design; and how a
design constant is written in a statement (so that a statement is built from the constant it
states, never a copy of it).
"""

from collections.abc import Iterable, Mapping

# Activations as the twin-circuit designs and random policies name them (the tests' keys) ->
# their label in grids, keys and scopes.
ACTIVATIONS = {
    "relu": "ReLU",
    "reglu": "ReGLU",
    "gelu": "GELU",
    "gelu-tanh": "tanh-GELU",
    "silu": "SiLU",
    "swiglu": "SwiGLU",
}
# Optimizers likewise.
OPTIMIZERS = {"sgd": "SGD", "sgd-momentum": "SGD+momentum", "adam": "Adam", "adamw": "AdamW"}
# The conditions S11-S14 and S19-S20 speak of, since they speak of RL on language models: the
# activations S08 names (ReLU; GELU, erf and the tanh form GPT-2-style models use) and the one
# current language models use (SwiGLU); the optimizers such training uses.
ASSERTED_ACTIVATIONS = ("relu", "gelu", "gelu-tanh", "swiglu")
ASSERTED_OPTIMIZERS = ("sgd", "adam", "adamw")
# Activations whose inactive neurons pass exactly nothing, and the smooth ones.
RELU_FAMILY = ("relu", "reglu")
SMOOTH = ("gelu", "gelu-tanh", "silu", "swiglu")


def labels(table: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The entries of a label table for ``names``, in their order."""
    return {name: table[name] for name in names}


def label(activation: str, optimizer: str) -> str:
    """A grid cell in words: "GELU with Adam"."""
    return f"{ACTIVATIONS[activation]} with {OPTIMIZERS[optimizer]}"


def cell(activation: str, optimizer: str) -> dict[str, str]:
    """A cell of an (activation, optimizer) grid."""
    return {"activation": ACTIVATIONS[activation], "optimizer": OPTIMIZERS[optimizer]}


def batched(architecture: str, /, **extra: str) -> dict[str, str]:
    """The scope of a float64 design whose loss sums over a batch (the twin circuits, the random
    policies, the tiny transformer with ``dtype`` overridden); ``extra`` adds keys or overrides
    these (an ``architecture`` that adds to the design's)."""
    return {"architecture": architecture, "dtype": "float64", "aggregation": "batched", **extra}


def percent(share: float) -> str:
    """A share as the statements write it: 0.01 -> "1 %", 0.995 -> "99.5 %"."""
    return f"{share * 100:g} %"


def numbers(values: Iterable[float]) -> str:
    """Numbers as a statement lists them: (0.1, 0.05) -> "0.1, 0.05"."""
    return ", ".join(f"{value:g}" for value in values)


def negative(value: float) -> str:
    """A number with the typographic minus the statements use: -0.1 -> "−0.1"."""
    return f"{value:g}".replace("-", "−")
