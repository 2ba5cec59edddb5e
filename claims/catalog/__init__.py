"""The catalog: one module per claim, listed here in report order, and the source sentences it
deliberately leaves unchecked.

To add a claim, write ``claims/catalog/<claim_id_with_underscores>.py`` defining ``CLAIM`` and add
it to ``CATALOG`` below (see README, "Adding a claim"). Every source sentence must be formalized
by some claim's asserted proposition or be listed in ``NOT_CHECKED`` with the reason.
"""

from claims import source
from claims.catalog import (
    activation_scaling,
    differential_reinforcement,
    gelu_near_equivalence,
    inactive_relu_zero_gradient,
)
from claims.records import Unchecked

CATALOG = (
    inactive_relu_zero_gradient.CLAIM,
    activation_scaling.CLAIM,
    gelu_near_equivalence.CLAIM,
    differential_reinforcement.CLAIM,
)

# Until the catalog is re-audited (roles read from the source), the sentences no claim quotes.
_QUOTED = {ref.sentence for claim in CATALOG for ref in claim.source}
NOT_CHECKED = tuple(
    Unchecked(
        sentence,
        "not yet audited: the catalog re-audit (roles read from the source) will decide",
    )
    for sentence in source.sentences()
    if sentence not in _QUOTED
)
