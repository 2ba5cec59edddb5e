"""The source sentences the catalog quotes: each quoted sentence once, as a SourceRef, and the
words of a sentence that more than one reading rests on.

A claim lists the SourceRefs it rests on (``source=(quotes.S08, quotes.S09)``); the registry
checks every quote and every reading's words verbatim in claims/data/sources/<document>.txt.
"""

from claims.engine.records import SourceRef

# The document every claim of this catalog quotes: claims/data/sources/gradient-hacking.txt.
POST = "gradient-hacking"

S02 = SourceRef(
    document=POST,
    sentence="S02",
    quote=(
        "the gradients of all the weights jutting out of that neuron are going to be "
        "multiplied by that activation level on the corresponding backward pass"
    ),
)

S03 = SourceRef(
    document=POST,
    sentence="S03",
    quote=(
        "This increases the plasticity of all weights involved in triggering downstream "
        "aspects of the active circuit"
    ),
)

S04 = SourceRef(
    document=POST,
    sentence="S04",
    quote=(
        "it also increases the plasticity of weights involved in triggering any other "
        "downstream circuit"
    ),
)

S05 = SourceRef(
    document=POST,
    sentence="S05",
    quote=("This includes circuits that would produce the output currently being rewarded"),
)

S08 = SourceRef(
    document=POST,
    sentence="S08",
    quote=(
        "Under ReLU, and very nearly the more widely used GELU, neurons with negative "
        "preactivations have their final activations clipped to zero."
    ),
)

S09 = SourceRef(
    document=POST,
    sentence="S09",
    quote=("for an inactive neuron, the error signal at that neuron is clipped to zero"),
)

S10 = SourceRef(
    document=POST,
    sentence="S10",
    quote=(
        "This prevents gradient from flowing through it, both to update the weights feeding "
        "into it and to propagate further back to earlier layers."
    ),
)

S11 = SourceRef(
    document=POST,
    sentence="S11",
    quote=(
        "circuits that aren't active during a given forward pass, for example deceptively "
        "aligned ones, will have the plasticity of some of their constituent neurons clipped "
        "to zero, effectively preventing some of those neurons from being reinforced by the "
        "gradient"
    ),
)

S12 = SourceRef(
    document=POST,
    sentence="S12",
    quote=(
        "for circuits that are active during a given forward pass, for example sincerely "
        "aligned ones, all of those neurons are going to be open to updates from the gradient"
    ),
)

S13 = SourceRef(
    document=POST,
    sentence="S13",
    quote=("the aligned circuits are going to be disproportionately prone to reinforcement"),
)

S14 = SourceRef(
    document=POST,
    sentence="S14",
    quote=(
        "RL tends to upweight the underlying motives actually involved in a given forward "
        "pass, even if certain non-active motives, for example deceptively aligned ones, "
        "would produce identical outputs"
    ),
)

S19 = SourceRef(
    document=POST,
    sentence="S19",
    quote=(
        "to the extent that base models do expect a given token to be equally likely given "
        "aligned and misaligned motives, this mechanism is another guard against this "
        "creating problems in practice"
    ),
)

S20 = SourceRef(
    document=POST,
    sentence="S20",
    quote=(
        "those circuits are statistically more likely to be reinforced by gradient descent as well"
    ),
)

# Words of a sentence that a reading rests on (Reading.words), verbatim: those named in more
# than one place.
S02_WORDS = (
    "the gradients of all the weights jutting out of that neuron are going to be multiplied by "
    "that activation level"
)
S03_WORDS = "This increases the plasticity of all weights involved in triggering"
S08_WORDS = "very nearly the more widely used GELU"
S09_WORDS = "the error signal at that neuron is clipped to zero"
S10_WORDS = "This prevents gradient from flowing through it"
S10_EARLIER_WORDS = "to propagate further back to earlier layers"
S11_WORDS = "effectively preventing some of those neurons from being reinforced by the gradient"
S12_WORDS = "all of those neurons are going to be open to updates from the gradient"
