"""Every asserted check can move: plant a bug or an effect, and watch the findings flip.

Each row installs one plant from tests/common/plants.py (a wrong layer or activation under a
real registry name, or a training set-up changed in a subprocess), runs one claim's unmodified
tests through the real plugin, and requires the listed propositions to come out as the row
says (and the run to be red): FAILS with a counterexample where a bug breaks what the catalog
expects to hold, HOLDS where a plant builds in, by construction, the effect a proposition the
catalog expects to fail asserts (e.g. GELU replaced by ReLU: GELU's inactive twin is then
still). Together the rows cover every asserted proposition of the claims they name.

The plants of the chat model (SmolLM2's propositions, CHAT_MODEL_PROPOSITIONS below) are mutants
of ``make mutants`` (tests/framework/mutants.py), not rows here: each re-runs the model for minutes.

Which rows run: every row takes a subprocess run of claim tests, about five minutes in all on
two cores, half of `make test`'s budget. So `make test` runs one cheap row of each kind of plant
(a registry swap, a plant module of its own, a verdict plant: a broken planting mechanism still
turns it red) and the coverage check over every row's declaration; `make mutants` runs every row
(``CLAIMS_PLANTS=all``; docs/integrity.md, "Proving the suite").
"""

import os

import pytest

from claims.catalog import (
    CATALOG,
    activation_scaling,
    differential_reinforcement,
    gelu_near_equivalence,
    inactive_circuit_not_reinforced,
    inactive_relu_zero_gradient,
)
from claims.engine.records import Finding, Role, Verdict
from claims.engine.verdicts import claim_verdict
from tests.common.plants import (
    ADAM_IS_SGD,
    D_CUT_FROM_TRAINING,
    GELU_IS_RELU_EVERYWHERE,
    L2_DECAY_IN_THE_GRADIENT,
    READOUT_TRAINED_AGAINST_THE_REWARD,
    RL_ON_TRIGGER_PROMPTS,
    RL_REACHES_ONLY_THE_CUE,
    TRAINING_ACTIVATES_D,
    TRAINING_ON_P2,
    plugin_source,
)
from tests.common.suite_runs import findings, report, run_suite

# The chat model's test files (docs/chat-model.md, "The real chat model"), left out where a plant never
# reaches the chat model.
CHAT_MODEL_TESTS = "test_smollm2.py"
WITHOUT_THE_CHAT_MODEL = ("--ignore-glob", f"*/{CHAT_MODEL_TESTS}")
# The chat model's propositions, whose tests are the test_smollm2.py files: every catalog id
# "<claim>/smollm2-...". `make mutants` plants the chat model (tests/framework/mutants.py), since
# each run re-runs SmolLM2 for minutes, so no row here moves them: the coverage test and the
# verdict rows (which run without those files) leave them out. Taken from the catalog, not listed
# and not read from MUTANTS, whose declared flips name only some of them.
CHAT_MODEL_PROPOSITIONS = frozenset(
    p.id
    for claim in CATALOG
    for p in claim.propositions
    if p.id.split("/", 1)[1].startswith("smollm2-")
)


def asserted(claim) -> set[str]:
    return {p.id for p in claim.propositions if p.role == Role.ASSERTED}


def failing(ids) -> dict[str, str]:
    return dict.fromkeys(ids, "FAILS")


def holding(ids) -> dict[str, str]:
    return dict.fromkeys(ids, "HOLDS")


AS, GN, DR = activation_scaling.ID, gelu_near_equivalence.ID, differential_reinforcement.ID
IC = inactive_circuit_not_reinforced.ID
ACTIVE_PASSES = f"{inactive_relu_zero_gradient.ID}/active-neuron-passes-error-signal"
DR_TESTS = "tests/claims/differential_reinforcement"
IC_TESTS = "tests/claims/inactive_circuit_not_reinforced"
GELU_TESTS = "tests/claims/gelu_near_equivalence"
CONTROLLED = f"{DR_TESTS}/test_controlled_behaviour.py"
PLASTICITY = "tests/claims/activation_scaling/test_plasticity.py"
# The asserted cells of differential-reinforcement's twin-circuit grids (aligned-reinforced-more,
# motive-involved-upweighted).
TWIN_CELLS = tuple(
    f"{activation}-{optimizer}"
    for activation in ("relu", "gelu", "gelu-tanh", "swiglu")
    for optimizer in ("sgd", "adam", "adamw")
)
TRANSFORMER_UNITS = ("relu", "gelu", "swiglu")
SQUARED = (
    "chain-rule-identity",
    "identity-in-torch",
    "column-ratio",
    "batch-sum-identity",
    "sgd-update-proportional",
    "sgd-later-steps-proportional",
    "momentum-first-step-proportional",
)
ADAM_CELLS = tuple(
    f"{AS}/{optimizer}-{step}-proportional"
    for optimizer in ("adam", "adamw")
    for step in ("update", "later-steps")
)
GELU_LITERAL_AND_SHARES = tuple(
    f"{GN}/{name}"
    for name in (
        "literal-activation-clipped",
        "literal-derivative-near-zero",
        "random-net-share-gelu",
        "random-net-share-gelu-tanh",
        "minilm-inactive-gradient-share",
        "minilm-activations-a-tenth-of-active",
        "minilm-error-signals-a-tenth-of-active",
        "minilm-earlier-layer-share",
    )
)
# name -> (test paths, plugin source that plants the bug or effect, proposition -> finding)
PLANTS = {
    "leaky-relu": (
        ("tests/claims/inactive_relu_zero_gradient", f"{GELU_TESTS}/test_random_networks.py"),
        plugin_source("ACTIVATIONS", "relu", "leaky-relu-0.01"),
        # A leak below zero breaks every inactive-neuron statement; the active side is intact.
        failing(
            asserted(inactive_relu_zero_gradient.CLAIM) - {ACTIVE_PASSES}
            | {f"{GN}/relu-baseline-share-zero"}
        ),
    ),
    "doubled-relu": (
        ("tests/claims/inactive_relu_zero_gradient/test_per_example.py",),
        plugin_source("ACTIVATIONS", "relu", "DOUBLED_RELU"),
        failing({ACTIVE_PASSES}),
    ),
    "gelu-is-silu": (
        (f"{GELU_TESTS}/test_constants.py", f"{GELU_TESTS}/test_thresholds.py"),
        plugin_source("ACTIVATIONS", "gelu", "silu"),
        failing({f"{GN}/gelu-derivative-constants", f"{GN}/gelu-tail-thresholds"}),
    ),
    "squared-input-backward": (
        ("tests/claims/activation_scaling",),
        plugin_source("LINEAR_MAPS", "linear", "SQUARED_INPUT_BACKWARD"),
        failing(f"{AS}/{name}" for name in SQUARED),
    ),
    # Adam and AdamW behave as SGD: their updates are then multiplied by the activation.
    "adam-is-sgd": (
        ("tests/claims/activation_scaling/test_optimizers.py",),
        ADAM_IS_SGD,
        holding(ADAM_CELLS),
    ),
    # GELU (erf and tanh forms) is ReLU, in the registry and inside all-MiniLM-L6-v2: S08-S10 then
    # hold for "GELU".
    "gelu-is-relu-everywhere": (
        (
            f"{GELU_TESTS}/test_literal.py",
            f"{GELU_TESTS}/test_random_networks.py",
            f"{GELU_TESTS}/test_real_model.py",
        ),
        GELU_IS_RELU_EVERYWHERE,
        holding(GELU_LITERAL_AND_SHARES),
    ),
    "first-unit-only-backward": (
        ("tests/claims/activation_scaling",),
        plugin_source("LINEAR_MAPS", "linear", "FIRST_UNIT_ONLY_BACKWARD"),
        failing({f"{AS}/every-outgoing-weight", f"{AS}/shared-downstream-unit"}),
    ),
    # Coupled L2 decay in SGD, Adam and AdamW: a silent neuron's outgoing weights move (S03's
    # on/off contrast, at the first step and at later ones).
    "l2-decay-in-the-gradient": (
        (
            f"{PLASTICITY}::test_the_first_step_moves_active_neurons_weights_and_no_silent_ones",
            f"{PLASTICITY}::test_later_steps_move_active_neurons_weights_and_no_silent_ones",
        ),
        L2_DECAY_IN_THE_GRADIENT,
        failing(
            f"{AS}/{optimizer}-{step}-active-plastic"
            for optimizer in ("sgd", "adam", "adamw")
            for step in ("first-step", "later-steps")
        ),
    ),
    # The policies' readout trained against the reward: D's rewarded behaviour through the shared
    # weights falls (S05), and A's against the plain control (S14).
    "readout-trained-against-the-reward": (
        (
            "tests/claims/activation_scaling/test_rides_along.py",
            f"{CONTROLLED}::test_the_motive_involved_is_upweighted_more_than_the_twins_own_behaviour",
        ),
        READOUT_TRAINED_AGAINST_THE_REWARD,
        failing(
            [
                f"{AS}/rides-along-{activation}-{optimizer}"
                for activation in ("relu", "gelu")
                for optimizer in ("sgd", "adam", "adamw")
            ]
            + [f"{DR}/motive-involved-upweighted-{cell}" for cell in TWIN_CELLS]
        ),
    ),
    # The twin circuits trained on trigger prompts: D active, A nearly silent. The comparative
    # reads the factorial's runs that test_weights.py and test_twin_behaviour.py make.
    "training-activates-d": (
        (
            f"{IC_TESTS}/test_weights.py",
            f"{IC_TESTS}/test_partial_activity.py",
            f"{IC_TESTS}/test_real_margins.py",
            f"{DR_TESTS}/test_twin_behaviour.py",
            f"{CONTROLLED}::"
            "test_the_active_circuits_behaviour_rises_more_than_its_twins_against_the_control",
        ),
        TRAINING_ACTIVATES_D,
        failing(
            [f"{IC}/weights-{cell}" for cell in ("relu-sgd", "relu-adam", "relu-adamw", "gelu-sgd")]
            + [f"{IC}/partial-activity-below-active"]
            + [f"{IC}/real-margins-{a}-sgd" for a in ("gelu", "gelu-tanh", "swiglu")]
            + [
                f"{DR}/behaviour-{cell}"
                for cell in ("relu-sgd", "relu-adam", "relu-adamw", "gelu-sgd")
            ]
            + [f"{DR}/aligned-reinforced-more-{cell}" for cell in TWIN_CELLS]
        ),
    ),
    # GELU replaced by ReLU: GELU's inactive twin then gets no gradient under SGD or Adam.
    "gelu-is-relu": (
        (
            f"{IC_TESTS}/test_weights.py",
            f"{IC_TESTS}/test_margin_sweep.py",
            f"{DR_TESTS}/test_twin_behaviour.py",
        ),
        plugin_source("ACTIVATIONS", "gelu", "relu"),
        holding(
            [f"{IC}/weights-gelu-adam", f"{IC}/weights-gelu-adamw", f"{IC}/gelu-sgd-every-margin"]
            + [f"{DR}/behaviour-gelu-adam", f"{DR}/behaviour-gelu-adamw"]
        ),
    ),
    # D left out of the training forward pass: no gradient reaches it at any margin (under ReLU
    # D near zero is active on noisy prompts, so gelu-is-relu cannot make Adam's sweep hold), nor
    # at margins drawn from all-MiniLM-L6-v2, where Adam's and AdamW's smooth cells then hold.
    "d-cut-from-training": (
        (f"{IC_TESTS}/test_margin_sweep.py", f"{IC_TESTS}/test_real_margins.py"),
        D_CUT_FROM_TRAINING,
        holding(
            [f"{IC}/gelu-sgd-every-margin", f"{IC}/gelu-adam-every-margin"]
            + [
                f"{IC}/real-margins-{activation}-{optimizer}"
                for activation in ("gelu", "gelu-tanh", "swiglu")
                for optimizer in ("adam", "adamw")
            ]
        ),
    ),
    "detached-relu": (
        (f"{IC_TESTS}/test_weights.py::test_every_neuron_of_the_active_circuit_is_updated",),
        plugin_source("ACTIVATIONS", "relu", "DETACHED_RELU"),
        failing({f"{IC}/active-circuit-updated"}),
    ),
    # Plain prompts hold no CUE, so their behaviour cannot move: the cued one rises against them.
    "rl-reaches-only-the-cue": (
        (f"{DR_TESTS}/test_transformer.py",),
        RL_REACHES_ONLY_THE_CUE,
        holding(
            [
                f"{DR}/transformer-behaviour-favoured-relu",
                f"{DR}/transformer-behaviour-favoured-swiglu",
            ]
            + [f"{DR}/transformer-involved-motive-upweighted-{unit}" for unit in TRANSFORMER_UNITS]
        ),
    ),
    # The transformer's REINFORCE on trigger-only prompts: the trigger's behaviour rises more.
    "rl-on-trigger-prompts": (
        (
            f"{DR_TESTS}/test_transformer.py::"
            "test_reinforce_raises_the_cued_behaviour_more_than_the_trigger_only_one",
        ),
        RL_ON_TRIGGER_PROMPTS,
        failing(f"{DR}/transformer-aligned-reinforced-more-{unit}" for unit in TRANSFORMER_UNITS),
    ),
    # The set S20 calls inactive is then the one active in training: it is reinforced more, by
    # sign (active-set-reinforced) and by update size (active-set-favoured).
    "training-on-p2": (
        (f"{DR_TESTS}/test_random_policies.py",),
        TRAINING_ON_P2,
        failing(
            [
                f"{DR}/active-set-{a}-{o}"
                for a in ("relu", "gelu", "silu")
                for o in ("sgd", "adam", "adamw")
            ]
            + [
                f"{DR}/reinforced-{a}-{o}"
                for a in ("relu", "gelu", "gelu-tanh")
                for o in ("sgd", "adam", "adamw")
            ]
        ),
    ),
}


# CLAIMS_PLANTS: "cheap" (the default) or "all"; anything else is refused at collection.
SELECTION = os.environ.get("CLAIMS_PLANTS", "cheap")
if SELECTION not in ("cheap", "all"):
    raise ValueError(
        f"CLAIMS_PLANTS={SELECTION!r}: use 'cheap' (make test) or 'all' (make mutants)"
    )
CHEAP_ROWS = ("doubled-relu", "readout-trained-against-the-reward")
CHEAP_VERDICT_PLANTS = ("activation-scaling",)


def selected(rows: dict, cheap: tuple[str, ...]) -> dict:
    return rows if SELECTION == "all" else {name: rows[name] for name in cheap}


def test_the_plants_cover_every_asserted_proposition_of_the_claims_they_target():
    covered = set().union(*(row[-1] for row in PLANTS.values()))
    claims = (
        inactive_relu_zero_gradient.CLAIM,
        activation_scaling.CLAIM,
        gelu_near_equivalence.CLAIM,
        inactive_circuit_not_reinforced.CLAIM,
        differential_reinforcement.CLAIM,
    )
    missing = (
        set().union(*(asserted(claim) for claim in claims)) - covered - CHAT_MODEL_PROPOSITIONS
    )
    assert not missing, f"asserted propositions no plant moves: {sorted(missing)}"


@pytest.mark.slow  # a subprocess run of a claim's tests per row: up to two minutes each
@pytest.mark.parametrize(
    "paths, plant, flipped",
    selected(PLANTS, CHEAP_ROWS).values(),
    ids=selected(PLANTS, CHEAP_ROWS).keys(),
)
def test_a_plant_moves_the_findings_it_targets_the_way_it_must(tmp_path, paths, plant, flipped):
    result = run_suite(tmp_path, plant=plant, paths=paths)
    assert result.returncode == 1, "the plant must turn the run red"
    # One claim's folder is a partial run: its report goes to report/partial/.
    document = report(tmp_path, partial=True)
    found = findings(document)
    assert {p: found[p] for p in flipped} == flipped
    for claim in document["claims"]:
        for proposition in claim["propositions"]:
            if flipped.get(proposition["id"]) == "FAILS":
                failing = [e for e in proposition["evidence"] if e["outcome"] == "FAILS"]
                assert failing and all(e["counterexample"] for e in failing), proposition["id"]
                # A Hypothesis search is replayed under its profile; another test needs none.
                for e in failing:
                    searched = e["examples"] is not None
                    assert e["reproduce"].startswith("HYPOTHESIS_PROFILE=") is searched, e["test"]


# A plant for each claim, over the claim's whole folder, that must move its verdict the way the
# catalog's findings say it must: a bug under a claim that holds refutes it; the missing effect
# planted under a refuted claim leaves every asserted proposition holding, so it is refuted no
# more. (claim, plant row whose plant is used, folders, the verdicts allowed)
# None of these plants touches the chat model, so the folders run without its tests (minutes of
# SmolLM2 per run, docs/chat-model.md, "The real chat model"); its propositions (CHAT_MODEL_PROPOSITIONS) are
# then NOT_RUN, and the verdict is judged over the propositions that ran. `make mutants` plants
# the chat model (tests/framework/mutants.py).
VERDICT_PLANTS = {
    "inactive-relu-zero-gradient": (
        "leaky-relu",
        ("tests/claims/inactive_relu_zero_gradient",),
        {"REFUTED"},
    ),
    "activation-scaling": (
        "adam-is-sgd",
        ("tests/claims/activation_scaling",),
        {"QUALIFIED", "SUPPORTED"},
    ),
    "gelu-near-equivalence": (
        "gelu-is-relu-everywhere",
        (GELU_TESTS,),
        {"QUALIFIED", "SUPPORTED"},
    ),
    "inactive-circuit-not-reinforced": (
        "d-cut-from-training",
        (IC_TESTS,),
        {"QUALIFIED", "SUPPORTED", "INCONCLUSIVE"},
    ),
    "differential-reinforcement": (
        "gelu-is-relu+rl-reaches-only-the-cue",
        (DR_TESTS,),
        {"QUALIFIED", "SUPPORTED"},
    ),
}


def plant_source(name: str) -> str:
    """One row's plant, or two rows' plants joined by '+' (their pytest_configure hooks chained)."""
    sources = [PLANTS[part][1] for part in name.split("+")]
    if len(sources) == 1:
        return sources[0]
    renamed = [
        source.replace("def pytest_configure(config):", f"def _configure_{i}(config):")
        for i, source in enumerate(sources)
    ]
    calls = "".join(f"    _configure_{i}(config)\n" for i in range(len(sources)))
    return "\n".join(renamed) + f"\n\ndef pytest_configure(config):\n{calls}"


@pytest.mark.slow  # a subprocess run of a claim's tests per row: up to two minutes each
@pytest.mark.parametrize(
    "claim_id, row, paths, verdicts",
    [(claim, *row) for claim, row in selected(VERDICT_PLANTS, CHEAP_VERDICT_PLANTS).items()],
    ids=selected(VERDICT_PLANTS, CHEAP_VERDICT_PLANTS).keys(),
)
def test_a_plant_moves_each_claims_verdict_the_right_way(tmp_path, claim_id, row, paths, verdicts):
    result = run_suite(tmp_path, *WITHOUT_THE_CHAT_MODEL, plant=plant_source(row), paths=paths)
    assert result.returncode == 1, "the plant must turn the run red"
    document = report(tmp_path, partial=True)
    (found,) = [c for c in document["claims"] if c["id"] == claim_id]
    ran = {
        p["id"]: Finding(p["finding"]) for p in found["propositions"] if p["finding"] != "NOT_RUN"
    }
    tests = [e["test"] for p in found["propositions"] for e in p["evidence"]]
    assert not [t for t in tests if CHAT_MODEL_TESTS in t], "the chat model's tests ran"
    (claim,) = [c for c in CATALOG if c.id == claim_id]
    verdict, reason = claim_verdict([(p, ran[p.id]) for p in claim.propositions if p.id in ran])
    assert verdict in verdicts, (verdict, reason)
    if verdict != Verdict.REFUTED:
        asserted = [
            p.id
            for p in claim.propositions
            if p.role == Role.ASSERTED and p.id not in CHAT_MODEL_PROPOSITIONS
        ]
        assert {p: ran.get(p) for p in asserted} == holding(asserted)
