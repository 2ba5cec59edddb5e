"""Synthetic samples with an exact mean and standard deviation, for the decision-rule tests."""

import math

# A fixed, asymmetric base vector; standardized below to sample mean 0 and sample std 1.
BASE = (-1.3, -0.7, -0.2, 0.0, 0.4, 0.9, 1.1, -0.5, 0.6, 1.7)


def exact(mean: float, sd: float, n: int = len(BASE)) -> list[float]:
    """n samples whose sample mean is ``mean`` and sample std (ddof 1) is ``sd`` (to rounding)."""
    base = BASE[:n]
    centre = sum(base) / n
    spread = math.sqrt(sum((b - centre) ** 2 for b in base) / (n - 1))
    return [mean + sd * (b - centre) / spread for b in base]
