"""inactive-circuit-not-reinforced: dose-response and carry-over of the inactive twin D (ReLU).

Design (the catalog's docstring and constants, fixed before the runs): the twin circuits with
equal outputs, private readout, margin MARGIN, SEEDS (64 seeds); the SGD dose-response on
DOSE_SGD_SEEDS (320, re-registered with its minimum detectable effect).

Dose-response: D is on for a fraction p ∈ DOSES of training prompts, DOSE_STEPS × DOSE_BATCH
(80 × 64; claims.experiments.schedules.dose_schedule says why not the factorial's 40 × 32). Per seed, α is
the least-squares slope of log ‖Δθ_D,in‖ against log p over the three doses. Decision: α
equivalent to 1 within DOSE_EQUIVALENCE = (0.8, 1.2) by two one-sided t-tests at 5 %
(claims.instruments.statistics.equivalence): HOLDS if the 90 % interval of the mean α lies inside the band,
FAILS if the 95 % interval lies wholly outside it, INCONCLUSIVE otherwise. Never-active seeds: a
seed on which ‖Δθ_D,in‖ is exactly 0 at some dose (log 0 is undefined) is left out of the fit,
and how many were left out is recorded as `seeds_left_out`; the per-dose mean ‖Δθ_D,in‖ in the
table is over all seeds, zeros included. A pooled α fitted to those means is recorded as a
cross-check only. (‖Δθ_D,in‖ = 0 also happens when D is active only in steps whose whole batch
earned the same reward, so the batch-mean advantage is 0; the table counts both the prompts with
D active and the zero-update seeds.)

Carry-over: CARRY_STEPS steps × BATCH prompts, trigger rate CARRY_RATE for the first CARRY_K
steps and 0 after. The statement is exact: it fails if D's incoming or outgoing parameters
differ at all, on any seed, between step k and the end of that seed's zero-gradient window. The
premise (D's gradient is exactly zero) is checked directly, not read off the schedule: a seed's
window runs from step k to the first later step with a prompt on which a D neuron has z > 0, or
to the last step if there is none, and the seeds whose window ended early are counted. (Under
SGD+momentum a D bias still rising on momentum can switch D on for an ordinary prompt late in
training, which is why the window rule exists.) A seed with D still active at step k, or never
active before it, leaves nothing to test and is an ERROR. Recorded: per optimizer, the seeds
that moved and the movement in the window as a fraction of D's movement during the first k
steps (95 % interval over seeds). AdamW also decays every weight every step, so it has its own
row; it decides the proposition like the others.
"""

import pytest
import torch

from claims.catalog.inactive_circuit_not_reinforced import (
    ALPHA,
    BATCH,
    CARRY_K,
    CARRY_RATE,
    CARRY_STEPS,
    DOSE_BATCH,
    DOSE_EQUIVALENCE,
    DOSE_SGD_SEEDS,
    DOSE_STEPS,
    DOSES,
    MARGIN,
    SEEDS,
)
from claims.experiments import schedules
from claims.experiments.policies import TwinDesign, train
from claims.instruments.statistics import equivalence, mean_interval

DESIGN = TwinDesign("relu", "private", margin=MARGIN, equal_outputs=True)


@pytest.mark.parametrize(
    "optimizer",
    [
        pytest.param(
            "sgd",
            marks=pytest.mark.claim(
                "inactive-circuit-not-reinforced/dose-response-sgd-linear", kind="experiment"
            ),
        ),
        pytest.param(
            "adam",
            marks=pytest.mark.claim(
                "inactive-circuit-not-reinforced/dose-response-adam-linear", kind="experiment"
            ),
        ),
    ],
)
def test_the_inactive_twins_update_grows_linearly_with_how_often_it_is_active(
    optimizer, measurements
):
    seeds = DOSE_SGD_SEEDS if optimizer == "sgd" else SEEDS
    norms, rows = [], []
    for rate in DOSES:
        schedule = schedules.dose_schedule(rate, steps=DOSE_STEPS, batch=DOSE_BATCH)
        training = train(DESIGN, optimizer, seeds, schedule, keep_trajectory=True)
        incoming = schedules.movement(DESIGN, training, "D", 0, schedule.steps).incoming
        active = schedules.active_counts(DESIGN, training, schedule, seeds).sum(dim=1)
        norms.append(incoming)
        rows.append(
            [
                rate,
                incoming.mean().item(),
                active.double().mean().item(),
                int((incoming == 0).sum()),
            ]
        )
    per_seed = torch.stack(norms, dim=1)
    kept = (per_seed > 0).all(dim=1)
    slopes = schedules.log_slopes(DOSES, per_seed[kept])
    tost = equivalence(slopes.tolist(), *DOSE_EQUIVALENCE)
    measurements.table(
        f"dose-response-{optimizer}",
        ["p", "mean ‖Δθ_D,in‖", "mean prompts with D active", "seeds with ‖Δθ_D,in‖ = 0"],
        rows,
    )
    measurements.record("alpha_mean", tost.interval95.mean)
    measurements.record("alpha_ci90_low", tost.interval90.low)
    measurements.record("alpha_ci90_high", tost.interval90.high)
    measurements.record("alpha_ci95_low", tost.interval95.low)
    measurements.record("alpha_ci95_high", tost.interval95.high)
    measurements.record("alpha_tost_p", tost.p, "p-value")
    measurements.record("alpha_of_means", schedules.pooled_slope(DOSES, [r[1] for r in rows]))
    measurements.record("seeds_left_out", int((~kept).sum()), "count")
    measurements.record("seeds", tost.interval95.samples, "count")
    tost.conclude(f"ReLU/{optimizer} dose-response exponent α", alpha=ALPHA)


def _carry_over(optimizer: str, measurements) -> tuple[list, list[str]]:
    """Train, check the premise, record; return a table row and a description per moved seed."""
    schedule = schedules.carry_over_schedule(
        active_steps=CARRY_K, steps=CARRY_STEPS, rate=CARRY_RATE, batch=BATCH
    )
    k, end = CARRY_K, schedule.steps
    training = train(DESIGN, optimizer, SEEDS, schedule, keep_trajectory=True)
    counts = schedules.active_counts(DESIGN, training, schedule, SEEDS)
    if (counts[:, :k] == 0).all(dim=1).any():
        raise RuntimeError(f"{optimizer}: D was never active in the first {k} steps on some seed")
    ends = schedules.silent_until(counts, k)
    if (ends == k).any():
        raise RuntimeError(f"{optimizer}: D stayed active at step {k} on some seed")
    during = schedules.movement(DESIGN, training, "D", 0, k)
    after = schedules.window_movement(DESIGN, training, "D", k, ends)
    moved = (after.incoming > 0) | (after.outgoing > 0)
    incoming = mean_interval(schedules.fraction(after.incoming, during.incoming))
    outgoing = mean_interval(schedules.fraction(after.outgoing, during.outgoing))
    reactivated = int((ends < end).sum())
    measurements.record(f"{optimizer}_seeds_moved", int(moved.sum()), "count")
    measurements.record(f"{optimizer}_seeds_reactivated", reactivated, "count")
    measurements.record(f"{optimizer}_incoming_after_over_during_mean", incoming.mean)
    measurements.record(f"{optimizer}_incoming_after_over_during_ci95_low", incoming.low)
    measurements.record(f"{optimizer}_incoming_after_over_during_ci95_high", incoming.high)
    measurements.record(f"{optimizer}_outgoing_after_over_during_mean", outgoing.mean)
    measurements.record(f"{optimizer}_outgoing_after_over_during_ci95_low", outgoing.low)
    measurements.record(f"{optimizer}_outgoing_after_over_during_ci95_high", outgoing.high)
    row = [optimizer, int(moved.sum()), len(SEEDS), reactivated]
    row += [incoming.mean, incoming.low, incoming.high, outgoing.mean, outgoing.low, outgoing.high]
    return row, [
        f"{optimizer} seed {SEEDS[i]}: ‖Δθ_D,in‖ from step {k} to {int(ends[i])} = "
        f"{after.incoming[i]:.3g} "
        f"({incoming.mean:.3g} of the first {k} steps' movement on average, 95 % interval "
        f"[{incoming.low:.3g}, {incoming.high:.3g}]), ‖Δθ_D,out‖ = {after.outgoing[i]:.3g}"
        for i in moved.nonzero().flatten().tolist()
    ]


CARRY_COLUMNS = [
    "optimizer",
    "seeds moved in their zero-gradient window",
    "seeds",
    f"seeds with D active again before step {CARRY_STEPS}",
    "in: after/during mean",
    "in: 95 % low",
    "in: 95 % high",
    "out: after/during mean",
    "out: 95 % low",
    "out: 95 % high",
]


def _decide(optimizers: tuple[str, ...], measurements) -> None:
    results = {optimizer: _carry_over(optimizer, measurements) for optimizer in optimizers}
    rows = [row for row, _ in results.values()]
    measurements.table("carry-over-" + "-".join(optimizers), CARRY_COLUMNS, rows)
    failing = [
        f"{o}: {len(m)} of {len(SEEDS)} seeds moved; first: {m[0]}"
        for o, (_, m) in results.items()
        if m
    ]
    assert not failing, "D moved after its gradient became exactly zero:\n" + "\n".join(failing)


@pytest.mark.claim("inactive-circuit-not-reinforced/carry-over-stops-sgd", kind="construction")
def test_sgd_stops_moving_the_twin_once_its_gradient_is_zero(measurements):
    _decide(("sgd",), measurements)


@pytest.mark.claim(
    "inactive-circuit-not-reinforced/carry-over-stops-momentum-adam", kind="construction"
)
def test_momentum_adam_and_adamw_stop_moving_the_twin_once_its_gradient_is_zero(measurements):
    _decide(("sgd-momentum", "adam", "adamw"), measurements)
