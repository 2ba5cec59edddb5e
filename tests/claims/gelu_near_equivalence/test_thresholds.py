"""gelu-near-equivalence: certified tail thresholds t(eps) and the tanh-GELU deviation.

A threshold is certified, not sampled (Note [Certified bounds] in claims/instruments/certified.py): f'' < 0
on (-inf, -c] and f' -> 0 at -inf are proved, so |f'| is monotone on that ray; an Arb enclosure
bounds |f'(-t)| by eps; bisection brackets the smallest such t to 1e-6. Torch's float64
autograd is checked against the certified bracket at both ends. GELU: arXiv:1606.08415;
SiLU: arXiv:1702.03118; Arb: https://python-flint.readthedocs.io.
"""

import pytest
import torch
from flint import arb

from claims.catalog.gelu_near_equivalence import EPSILONS
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.certified import (
    THRESHOLD_WIDTH,
    arb_derivative,
    arb_value,
    tail_proof,
    tail_threshold,
    tanh_gelu_deviation,
    to_float,
)


def torch_derivative(activation: str, points: list[float], order: int = 1) -> list[float]:
    """f(z) (order 0) or f'(z) (order 1) at each point, by torch's float64 autograd."""
    values = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    outputs = ACTIVATIONS[activation].torch_fn(values)
    if order == 0:
        return outputs.tolist()
    outputs.sum().backward()
    return values.grad.tolist()


def check_thresholds(activation: str, measurements) -> None:
    proof = tail_proof(activation)  # raises NotCertified (an AssertionError) if a step fails
    measurements.record("monotone_tail_from", float(arb_value(proof.start).mid()))
    f1 = arb_derivative(activation, 1)
    rows = []
    for eps in EPSILONS:
        threshold = tail_threshold(activation, eps)
        assert threshold.upper - threshold.lower <= THRESHOLD_WIDTH, threshold
        assert threshold.bound_at_upper <= eps, f"|{activation}'(-{threshold.upper})| > {eps}"
        measurements.record(f"t_{eps}", threshold.upper)
        measurements.record(f"t_{eps}_lower", threshold.lower)
        rows.append([eps, threshold.upper, threshold.lower, float(threshold.bound_at_upper)])
        # Torch agrees with the certificate: within eps at -upper, beyond it at -lower.
        ends = [-threshold.upper, -threshold.lower]
        inside, outside = torch_derivative(activation, ends)
        assert abs(inside) <= eps < abs(outside), (
            f"torch {activation}' at {ends}: {inside!r}, {outside!r} (eps = {eps})"
        )
        for point, grad in zip(ends, (inside, outside), strict=True):
            certified = to_float(f1(arb(point)))
            assert abs(grad - certified) <= 1e-12, f"{activation}'({point}): {grad} vs {certified}"
    measurements.table(
        f"{activation} tail thresholds (|f′(z)| ≤ ε for all z ≤ −t)",
        ["ε", "t(ε), certified", "lower end (fails)", "Arb bound on |f′(−t)|"],
        rows,
        digits=10,
    )


@pytest.mark.claim("gelu-near-equivalence/gelu-tail-thresholds", kind="certified")
def test_gelu_derivative_stays_within_eps_beyond_a_certified_depth(measurements):
    check_thresholds("gelu", measurements)


@pytest.mark.claim("gelu-near-equivalence/gelu-tanh-tail-thresholds", kind="certified")
def test_tanh_gelu_derivative_stays_within_eps_beyond_a_certified_depth(measurements):
    check_thresholds("gelu-tanh", measurements)


@pytest.mark.claim("gelu-near-equivalence/silu-tail-thresholds", kind="certified")
def test_silu_derivative_stays_within_eps_beyond_a_certified_depth(measurements):
    check_thresholds("silu", measurements)


@pytest.mark.claim("gelu-near-equivalence/gelu-tanh-deviation", kind="certified")
def test_tanh_gelu_deviates_from_gelu_by_an_enclosed_maximum(measurements):
    for order, name in ((0, "value"), (1, "derivative")):
        deviation = tanh_gelu_deviation(order)
        measurements.record(f"{name}_deviation_upper", deviation.upper)
        measurements.record(f"{name}_deviation_lower", deviation.lower)
        measurements.record(f"{name}_deviation_at", deviation.at)
        measurements.record(f"{name}_deviation_tail_bound", deviation.tail_bound)
        assert deviation.lower > 0, f"{name}: no deviation attained ({deviation})"
        ratio = deviation.upper / deviation.lower
        measurements.record(f"{name}_deviation_upper_over_lower", ratio)
        assert ratio - 1 < 0.01, f"{name}: upper {deviation.upper} vs attained {deviation.lower}"
        # Torch's float64 difference at the attaining point matches the attained value.
        tanh, exact = (torch_derivative(a, [deviation.at], order)[0] for a in ("gelu-tanh", "gelu"))
        assert abs(abs(tanh - exact) - deviation.lower) <= 1e-12, (
            f"{name} at {deviation.at}: torch gives {abs(tanh - exact)!r}, Arb {deviation.lower!r}"
        )
