"""A claim the registry accepts (``GOOD``: one asserted proposition formalizing S09 of the
gradient-hacking post, the rest of the post unchecked in ``OTHERS``) and one-field variations of
it, for the registry and refused-input tests."""

from dataclasses import replace

from claims.engine import sources
from claims.engine.records import (
    Claim,
    Finding,
    Proposition,
    Reading,
    Role,
    SourceRef,
    Unchecked,
    blind,
)

POST = "gradient-hacking"
SENTENCES = sources.load(POST).sentences

ASSERTED = Proposition(
    "good-claim/asserted",
    "x = x",
    {"activation": "ReLU"},
    Role.ASSERTED,
    Finding.HOLDS,
    formalizes=("S09",),
    reading=Reading("clipped to zero", "the words S09 rests on"),
    registration=blind("the mathematics"),
)
GOOD = Claim(
    id="good-claim",
    title="Good",
    source=(SourceRef(POST, "S09", "the error signal at that neuron is clipped to zero"),),
    statement="A statement.",
    propositions=(ASSERTED,),
)
# GOOD formalizes S09; the rest of the source is, for these tests, deliberately unchecked.
OTHERS = tuple(Unchecked(POST, s, "not this test's") for s in SENTENCES if s != "S09")


def with_proposition(**changes) -> Claim:
    return replace(GOOD, propositions=(replace(ASSERTED, **changes),))
