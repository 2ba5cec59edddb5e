"""Hypothesis strategies for networks and inputs. Module-level nouns, as in hypothesis.extra.

Everything random about a network comes from a drawn ``seed`` fed to a torch.Generator, and its
shape from drawn integers, so Hypothesis can shrink a counterexample to the smallest network
(depth 1, width 1, seed 0) that still fails, and replay it exactly.
"""

from __future__ import annotations

from hypothesis import strategies as st

from claims.instruments.nets import MLPSpec, ResidualSpec
from claims.instruments.residual import ResidualStackSpec

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
WIDTHS = st.integers(min_value=1, max_value=64)
HIDDEN_WIDTHS = st.lists(WIDTHS, min_size=1, max_size=4).map(tuple)
OUTPUT_WIDTHS = st.integers(min_value=1, max_value=8)
# Small, LeCun-normal and large initial weight scales: saturating and sparse regimes both occur.
INIT_SCALES = st.sampled_from((1.0, 0.25, 4.0))

MLP_SPECS = st.builds(
    MLPSpec,
    input_width=WIDTHS,
    hidden_widths=HIDDEN_WIDTHS,
    output_width=OUTPUT_WIDTHS,
    bias=st.booleans(),
    init_scale=INIT_SCALES,
    seed=SEEDS,
)

# (examples, tokens): a gradient summed over a batch, over a sequence, or both.
BATCH_SHAPES = st.tuples(
    st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=4)
)

RESIDUAL_SPECS = st.builds(
    ResidualSpec,
    input_width=WIDTHS,
    residual_width=WIDTHS,
    hidden_width=WIDTHS,
    init_scale=INIT_SCALES,
    seed=SEEDS,
)

# Magnitudes for arbitrary replacement weights: from tiny to huge, all finite.
REPLACEMENT_SCALES = st.sampled_from((1e-6, 1.0, 1e3, 1e9))

# Hidden activations of the networks the activation-scaling claim quantifies over.
HIDDEN_ACTIVATIONS = st.sampled_from(("relu", "gelu", "silu", "tanh"))
# Activations whose negative side is negative rather than zero.
SIGNED_ACTIVATIONS = st.sampled_from(("gelu", "silu"))

RESIDUAL_STACK_SPECS = st.builds(
    ResidualStackSpec,
    input_width=WIDTHS,
    stream_width=WIDTHS,
    hidden_widths=st.lists(WIDTHS, min_size=1, max_size=3).map(tuple),
    output_width=OUTPUT_WIDTHS,
    pre_layernorm=st.booleans(),
    bias=st.booleans(),
    init_scale=INIT_SCALES,
    seed=SEEDS,
)

# Plain MLPs, residual MLP stacks and pre-LayerNorm residual stacks.
NETWORK_SPECS = st.one_of(MLP_SPECS, RESIDUAL_STACK_SPECS)

# Activation levels for hand-set neurons: both signs, six orders of magnitude, never zero.
ACTIVATION_LEVELS = st.floats(min_value=1e-3, max_value=1e3).flatmap(
    lambda magnitude: st.sampled_from((magnitude, -magnitude))
)
