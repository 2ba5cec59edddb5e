"""Certified bounds for activation derivatives: Arb ball arithmetic built from the SymPy registry.

Note [Certified bounds]
=======================

WHY
  "|GELU'(z)| <= 0.01 for all z <= -t" is a statement about an infinite ray; sampling proves
  nothing about it. Arb (python-flint, https://python-flint.readthedocs.io; Johansson, "Arb:
  efficient arbitrary-precision midpoint-radius interval arithmetic", arXiv:1611.02831) returns
  for every operation a ball that is guaranteed to contain the exact result, and a function
  evaluated on a ball mid +/- rad encloses its range on that interval. Every evaluator here is
  made FROM ``ACTIVATIONS[name].sympy_fn`` (lambdify onto Arb functions), so a wrong activation
  planted in the registry changes what is certified.

WHAT'S CERTIFIED
  Tail thresholds (``tail_threshold``), the proof shape:
    1. ``tail_proof``: f'' < 0 on (-inf, -c] (SymPy, per activation: GELU'' = phi(z)(2 - z^2);
       SiLU'' = s(1 - s)(2 - z tanh(z/2)) with u tanh(u/2) increasing; tanh-GELU'' =
       sech^2(g) B(z) with B(-u) <= k Q(u) for u >= c and Q(c + p) a polynomial in p whose
       coefficients are all certified negative) and f'(z) -> 0 as z -> -inf (SymPy limit).
       So f' < 0 on the ray and |f'| grows with z there: sup_{z <= -t} |f'| = |f'(-t)| for t >= c.
    2. ``_sup_at_most``: for t >= c, an Arb enclosure of f'(-t); for t < c (SiLU at eps = 0.1,
       whose dip never reaches -0.1) |f'(-c)| plus an adaptive cover of [-c, -t] by balls.
       It answers True (certified <= eps), False (a point with |f'| > eps is certified) or None.
    3. Bisection on t keeps a certified-False lower end and a certified-True upper end until
       they are 1e-6 apart: the smallest admissible t lies in [lower, upper].
  Derivative shapes (``derivative_shape``): certified sign-change brackets of f'' and f'.
  tanh-GELU deviation (``tanh_gelu_deviation``): mean-value enclosures g(m) + g'(ball) [-r, r]
  on an adaptive subdivision of [-10, 10]; for |z| >= 10 the analytic bounds
  u Phi(-u) <= phi(u) (Mills ratio, Gordon 1941), 1 - tanh(s) <= 2 e^{-2s} and
  sech^2(s) <= 4 e^{-2s} give |dev| <= phi(u) R0(u) + e^{-2 s(u)} R1(u), proved decreasing on
  [10, inf) (polynomial sign certificates) and evaluated in Arb at u = 10.

  Anything false or undecided (an identity ``identical``/``proved_equal`` cannot prove, an
  Arb comparison whose balls straddle) raises NotCertified, an AssertionError: the plugin reports
  the proposition as FAILS, never HOLDS.
"""

from claims.instruments.certified.arb import (
    PRECISION,
    THRESHOLD_WIDTH,
    Fn,
    NotCertified,
    arb_derivative,
    arb_function,
    arb_value,
    derivative,
    identical,
    lower_float,
    to_float,
    u,
    upper_float,
    z,
)
from claims.instruments.certified.deviation import (
    TAIL,
    DerivativeShape,
    Deviation,
    derivative_shape,
    tanh_gelu_deviation,
)
from claims.instruments.certified.tails import (
    CDF,
    PHI,
    SIGMOID,
    Bracket,
    G,
    Steps,
    TailProof,
    Threshold,
    polynomial_negative_from,
    sign_change,
    tail_proof,
    tail_threshold,
)

__all__ = [
    "Bracket",
    "CDF",
    "DerivativeShape",
    "Deviation",
    "Fn",
    "G",
    "NotCertified",
    "PHI",
    "PRECISION",
    "SIGMOID",
    "Steps",
    "TAIL",
    "THRESHOLD_WIDTH",
    "TailProof",
    "Threshold",
    "arb_derivative",
    "arb_function",
    "arb_value",
    "derivative",
    "derivative_shape",
    "identical",
    "lower_float",
    "polynomial_negative_from",
    "sign_change",
    "tail_proof",
    "tail_threshold",
    "tanh_gelu_deviation",
    "to_float",
    "u",
    "upper_float",
    "z",
]
