"""gelu-near-equivalence: does a closed gate (g < 0) silence a gated unit's gradient?"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from claims.instruments import gated
from claims.instruments.statistics import mean_interval
from claims.instruments.strategies import SEEDS, WIDTHS

GATED_SPECS = st.builds(gated.GatedSpec, width=WIDTHS, hidden=WIDTHS, seed=SEEDS)


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param(
            unit,
            marks=pytest.mark.claim(
                f"gelu-near-equivalence/{unit}-gate-closed-zero-gradient", kind="property"
            ),
        )
        for unit in gated.GATES
    ],
)
@given(spec=GATED_SPECS)
def test_a_closed_gate_passes_no_gradient_to_its_weights(unit, spec, measurements):
    run = gated.gated_backward(spec, unit)
    closed = run.gate_preactivation < 0
    measurements.count("closed_gates_checked", int(closed.sum()))
    for name, weight in (("W_u", run.up_weight), ("W_g", run.gate_weight)):
        rows = weight.grad[closed]
        assert torch.equal(rows, torch.zeros_like(rows)), (
            f"{unit}: gates {torch.nonzero(closed).flatten().tolist()} closed (g < 0), yet "
            f"|dL/d{name}| on their rows = {rows.norm().item():.6g}"
        )


def seeded_gated(seed: int) -> gated.GatedSpec:
    gen = torch.Generator().manual_seed(seed)
    width, hidden = (int(torch.randint(8, 65, (), generator=gen)) for _ in range(2))
    return gated.GatedSpec(width=width, hidden=hidden, seed=seed)


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param(
            unit,
            marks=pytest.mark.claim(
                f"gelu-near-equivalence/{unit}-gate-closed-zero-gradient", kind="construction"
            ),
        )
        for unit in gated.GATES
    ],
)
def test_closed_gates_receive_a_measured_share_of_the_gradient(unit, measurements):
    """Over 64 fixed seeds: the share of row gradient on closed gates (interval), then the statement."""
    shares, leaking = [], 0
    for seed in range(64):
        run = gated.gated_backward(seeded_gated(seed), unit)
        closed = run.gate_preactivation < 0
        mass = run.up_weight.grad.pow(2).sum(dim=1) + run.gate_weight.grad.pow(2).sum(dim=1)
        shares.append((mass[closed].sum() / mass.sum()).item())
        leaking += int((mass[closed] > 0).sum())
    interval = mean_interval(shares)
    measurements.record("closed_gate_share_mean", interval.mean, "fraction")
    measurements.record("closed_gate_share_ci95_low", interval.low, "fraction")
    measurements.record("closed_gate_share_ci95_high", interval.high, "fraction")
    measurements.count("closed_gates_with_gradient", leaking)
    assert leaking == 0, f"{unit}: {leaking} closed gates over 64 seeds received gradient"
