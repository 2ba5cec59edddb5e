"""differential-reinforcement: dose-response and carry-over of the inactive twin D (ReLU, private).

Dose-response (fixed before any result was seen): 64 seeds; D is on for a fraction
p ∈ {0.001, 0.01, 0.1} of training prompts, 80 steps × 64 prompts (claims/schedules.py says why
not the factorial's 40 × 32). Per seed, α is the least-squares slope of log ‖Δθ_D,in‖ against
log p over the three doses; the proposition holds if the Student-t 95 % interval of the mean α
over seeds contains 1 and fails if it lies wholly on one side (claims.schedules.decide_contains).
Never-active seeds: a seed on which ‖Δθ_D,in‖ is exactly 0 at some dose (log 0 is undefined) is
left out of the fit, and how many were left out is recorded as `seeds_left_out`; the per-dose
mean ‖Δθ_D,in‖ in the table is over all 64 seeds, zeros included. A pooled α fitted to those
means is recorded as a cross-check only. (Seen after the rule was fixed: ‖Δθ_D,in‖ = 0 also
happens when D is active only in steps whose whole batch earned the same reward, so the
batch-mean advantage is 0; under SGD the policy saturates on ordinary prompts by mid-training.
The table therefore counts both prompts with D active and zero-update seeds.)

Carry-over: 64 seeds, 40 steps × 32 prompts, trigger rate 0.5 for the first k = 10 steps and 0
after. The statement is exact: it fails if D's incoming or outgoing parameters differ at all, on
any seed, between step k and the end of that seed's zero-gradient window. The premise (D's
gradient is exactly zero) is checked directly, not read off the schedule: a seed's window runs
from step k to the first later step with a prompt on which a D neuron has z > 0, or to step 40
if there is none, and the seeds whose window ended early are counted. (A first version made any
post-k activity an ERROR; under SGD+momentum one seed's D bias, still rising on momentum, switched
D on for one ordinary prompt at step 39, so the window rule replaced it.) A seed with D still
active at step k, or never active before it, leaves nothing to test and is an ERROR. Recorded:
per optimizer, the seeds that moved and the movement in the window as a fraction of D's movement
during the first k steps (95 % interval over seeds). AdamW also decays every weight every step,
so it has its own row; it decides the proposition like the others.
"""

import pytest
import torch

from claims import schedules
from claims.policies import TwinDesign, train
from claims.statistics import mean_interval

SEEDS = tuple(range(64))
DESIGN = TwinDesign("relu", "private")


@pytest.mark.parametrize(
    "optimizer",
    [
        pytest.param(
            "sgd",
            marks=pytest.mark.claim(
                "differential-reinforcement/dose-response-sgd-linear", kind="experiment"
            ),
        ),
        pytest.param(
            "adam",
            marks=pytest.mark.claim(
                "differential-reinforcement/dose-response-adam-linear", kind="experiment"
            ),
        ),
    ],
)
def test_the_inactive_twins_update_grows_linearly_with_how_often_it_is_active(
    optimizer, measurements
):
    norms, rows = [], []
    for rate in schedules.DOSES:
        schedule = schedules.dose_schedule(rate)
        training = train(DESIGN, optimizer, SEEDS, schedule, keep_trajectory=True)
        incoming = schedules.movement(DESIGN, training, "D", 0, schedule.steps).incoming
        active = schedules.active_counts(DESIGN, training, schedule, SEEDS).sum(dim=1)
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
    slopes = schedules.log_slopes(schedules.DOSES, per_seed[kept])
    interval = mean_interval(slopes.tolist())
    measurements.table(
        f"dose-response-{optimizer}",
        ["p", "mean ‖Δθ_D,in‖", "mean prompts with D active", "seeds with ‖Δθ_D,in‖ = 0"],
        rows,
    )
    measurements.record("alpha_mean", interval.mean)
    measurements.record("alpha_ci95_low", interval.low)
    measurements.record("alpha_ci95_high", interval.high)
    measurements.record(
        "alpha_of_means", schedules.pooled_slope(schedules.DOSES, [r[1] for r in rows])
    )
    measurements.record("seeds_left_out", int((~kept).sum()), "count")
    measurements.record("seeds", interval.samples, "count")
    schedules.decide_contains(interval, 1.0, what=f"ReLU/{optimizer} dose-response exponent α")


def _carry_over(optimizer: str, measurements) -> tuple[list, list[str]]:
    """Train, check the premise, record; return a table row and a description per moved seed."""
    schedule = schedules.carry_over_schedule()
    k, end = schedules.CARRY_K, schedule.steps
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
    "seeds with D active again before step 40",
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


@pytest.mark.claim("differential-reinforcement/carry-over-stops-sgd", kind="experiment")
def test_sgd_stops_moving_the_twin_once_its_gradient_is_zero(measurements):
    _decide(("sgd",), measurements)


@pytest.mark.claim("differential-reinforcement/carry-over-stops-momentum-adam", kind="experiment")
def test_momentum_adam_and_adamw_stop_moving_the_twin_once_its_gradient_is_zero(measurements):
    _decide(("sgd-momentum", "adam", "adamw"), measurements)
