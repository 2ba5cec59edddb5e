"""The catalog: one module per claim, listed here in report order, and the sentences not checked.

To add a claim, write ``claims/catalog/<claim_id_with_underscores>.py`` defining ``CLAIM`` and add
it to ``CATALOG`` below (see docs/adding-a-claim.md, "Adding a claim"). Every sentence of the source is either
formalized by an asserted proposition of some claim or listed in ``NOT_CHECKED`` with the reason
(a clause of a checked sentence may be listed too, ``Unchecked(..., clause=...)``); the registry
refuses a catalog that leaves a sentence unaccounted for.
"""

from claims.catalog import (
    activation_scaling,
    differential_reinforcement,
    gelu_near_equivalence,
    inactive_circuit_not_reinforced,
    inactive_relu_zero_gradient,
)
from claims.catalog.quotes import POST
from claims.engine.records import Unchecked

CATALOG = (
    activation_scaling.CLAIM,
    inactive_relu_zero_gradient.CLAIM,
    gelu_near_equivalence.CLAIM,
    inactive_circuit_not_reinforced.CLAIM,
    differential_reinforcement.CLAIM,
)

NOT_CHECKED = (
    Unchecked(
        document=POST,
        sentence="S01",
        reason="Framing: it posits circuits made of neurons. The checks adopt it as their definition of a "
        "circuit (a set of hidden neurons, e.g. the twin circuits A and D) rather than test it.",
    ),
    Unchecked(
        document=POST,
        sentence="S05",
        reason="A claim about what a misaligned circuit would do on other inputs; no mechanistic test of "
        "gradients reaches it (the rest of S05 is checked by activation-scaling).",
        clause="which would generalize poorly out of distribution",
    ),
    Unchecked(
        document=POST,
        sentence="S06",
        reason="A transition announcing a 'secondary mechanism'; its content is S07-S10, checked there.",
    ),
    Unchecked(
        document=POST,
        sentence="S07",
        reason="A one-word heading ('Nonlinearities.'); S08-S10 say what it means.",
    ),
    Unchecked(
        document=POST,
        sentence="S15",
        reason="A premise about base models' priors (whether deceptively aligned circuits exist in "
        "them); no mechanistic test of gradients reaches it.",
    ),
    Unchecked(
        document=POST,
        sentence="S16",
        reason="The author's hedge on S15 ('questionable'), an opinion, not a mechanism.",
    ),
    Unchecked(
        document=POST,
        sentence="S17",
        reason="An empirical claim about training data (flawlessly deceptive minds don't exist in it yet); "
        "nothing in this suite measures pre-training corpora.",
    ),
    Unchecked(
        document=POST,
        sentence="S18",
        reason="A claim about base models' skill at inferring motives from text; a capability question, "
        "not a property of gradients.",
    ),
)
