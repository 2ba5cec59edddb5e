"""gelu-near-equivalence: how much gradient negative-preactivation neurons pass in random networks.

Statistics (decision rule in claims/instruments/statistics.py, threshold in the catalog): one share per
network, 64 fixed seeds (claims.instruments.gradient_share.seeded_network), Student-t 95 % interval.
Power: if the true mean share were 2 % (twice the threshold) with a between-seed standard
deviation as large as 3 %, the interval's half-width would be 2.0 · 3 % / √64 ≈ 0.75 %, so 64
seeds separate it from 1 %; a share within ~0.75 % of the threshold comes out INCONCLUSIVE.
"""

import pytest
from hypothesis import given

from claims.catalog.gelu_near_equivalence import SHARE_THRESHOLD
from claims.instruments import gradient_share
from claims.instruments.backprop import backward_pass
from claims.instruments.statistics import decide_below, mean_interval
from claims.instruments.strategies import NETWORK_SPECS

SEEDS = range(64)
SMOOTH_ACTIVATIONS = {"gelu": "gelu", "gelu-tanh": "gelu-tanh", "silu": "silu"}


@pytest.mark.claim("gelu-near-equivalence/relu-baseline-share-zero", kind="property")
@given(spec=NETWORK_SPECS)
def test_negative_preactivation_relu_neurons_receive_none_of_the_gradient(spec, measurements):
    run = backward_pass(spec, "relu", batch_shape=(gradient_share.EXAMPLES,))
    try:
        share = gradient_share.inactive_share(run, "relu")
    except ValueError:
        return  # no gradient reached a hidden layer (all paths dead): nothing to share
    measurements.maximum("max_share", share.gradient, "fraction")
    measurements.count("inactive_pairs_seen", share.inactive)
    assert share.gradient == 0.0, f"ReLU share on negative preactivations is {share.gradient:.3g}"


@pytest.mark.parametrize(
    "activation",
    [
        pytest.param(
            name,
            marks=pytest.mark.claim(
                f"gelu-near-equivalence/random-net-share-{name}", kind="experiment"
            ),
        )
        for name in SMOOTH_ACTIVATIONS
    ],
)
def test_negative_preactivation_neurons_receive_under_one_percent_of_the_gradient(
    activation, measurements
):
    shares = [
        gradient_share.network_share(gradient_share.seeded_network(seed), activation)
        for seed in SEEDS
    ]
    interval = mean_interval([s.gradient for s in shares])
    leaky = mean_interval([s.leaky_inactive for s in shares])
    measurements.record("share_mean", interval.mean, "fraction")
    measurements.record("share_ci95_low", interval.low, "fraction")
    measurements.record("share_ci95_high", interval.high, "fraction")
    measurements.record("leaky_inactive_share_mean", leaky.mean, "fraction")
    measurements.record("seeds", interval.samples, "count")
    decide_below(
        interval, SHARE_THRESHOLD, what=f"{activation} share of incoming-weight gradient on z < 0"
    )
