"""The catalog: one module per claim, listed here in report order.

To add a claim, write ``claims/catalog/<claim_id_with_underscores>.py`` defining ``CLAIM`` and add
it to ``CATALOG`` below (see README, "Adding a claim").
"""

from claims.catalog import (
    activation_scaling,
    differential_reinforcement,
    gelu_near_equivalence,
    inactive_relu_zero_gradient,
)

CATALOG = (
    inactive_relu_zero_gradient.CLAIM,
    activation_scaling.CLAIM,
    gelu_near_equivalence.CLAIM,
    differential_reinforcement.CLAIM,
)
