"""Verdict aggregation, table-driven: each row is a set of findings and the verdict it must give."""

import pytest

from claims.engine.evidence import Evidence
from claims.engine.records import Claim, Finding, Proposition, Role, SourceRef, Verdict
from claims.engine.verdicts import claim_verdict, evaluate, proposition_finding, sentence_verdict

H, F, E, N, U, INC = (
    Finding.HOLDS,
    Finding.FAILS,
    Finding.ERROR,
    Finding.NOT_RUN,
    Finding.UNTESTED,
    Finding.INCONCLUSIVE,
)
ASSERTED, BEYOND, LEMMA = Role.ASSERTED, Role.BEYOND, Role.LEMMA


def proposition(name: str, role: Role) -> Proposition:
    formalizes = ("S01",) if role is ASSERTED else ()
    return Proposition(f"c/{name}", "s", {}, role, Finding.HOLDS, formalizes=formalizes)


# (asserted findings, beyond findings, lemma findings) -> verdict
CLAIM_TABLE = [
    ((H, H), (), (), Verdict.SUPPORTED),  # only asserted propositions
    ((H,), (H, H), (), Verdict.SUPPORTED),
    ((H,), (F,), (), Verdict.QUALIFIED),
    ((H, H), (H, F), (), Verdict.QUALIFIED),
    ((F,), (), (), Verdict.REFUTED),
    ((H, F), (F,), (), Verdict.REFUTED),
    ((F,), (N,), (), Verdict.REFUTED),  # a counterexample refutes even in a partial run
    ((F, E), (), (), Verdict.REFUTED),  # asserted FAILS beats everything
    ((F,), (INC, U), (E,), Verdict.REFUTED),
    ((H, N), (), (), Verdict.NOT_RUN),
    ((H,), (N,), (), Verdict.NOT_RUN),
    ((N, N), (), (), Verdict.NOT_RUN),
    ((H, E), (), (), Verdict.INCONCLUSIVE),
    ((H, U), (), (), Verdict.INCONCLUSIVE),  # UNTESTED never supports
    ((H,), (E,), (), Verdict.INCONCLUSIVE),  # SUPPORTED vs QUALIFIED undecidable
    ((H,), (INC,), (), Verdict.INCONCLUSIVE),  # a beyond INCONCLUSIVE too
    ((H,), (U, F), (), Verdict.INCONCLUSIVE),
    # Lemmas never decide: not failing, erroring, untested or unrun.
    ((H,), (), (F,), Verdict.SUPPORTED),
    ((H,), (), (E,), Verdict.SUPPORTED),
    ((H,), (), (U, N), Verdict.SUPPORTED),
    ((H,), (F,), (F, E), Verdict.QUALIFIED),
]


@pytest.mark.parametrize("asserted, beyond, lemmas, verdict", CLAIM_TABLE)
def test_claim_verdict_follows_the_rules(asserted, beyond, lemmas, verdict):
    findings = [(proposition(f"asserted-{i}", ASSERTED), f) for i, f in enumerate(asserted)]
    findings += [(proposition(f"beyond-{i}", BEYOND), f) for i, f in enumerate(beyond)]
    findings += [(proposition(f"lemma-{i}", LEMMA), f) for i, f in enumerate(lemmas)]
    decided, reason = claim_verdict(findings)
    assert decided == verdict
    assert reason and "lemma" not in reason, "a lemma never decides, so no reason names one"


# Rules 1-5 over the propositions naming one sentence: asserted (formalize it), beyond (carry it
# further); a sentence reads QUALIFIED as a claim does.
SENTENCE_TABLE = [
    ((H, H), (), Verdict.SUPPORTED),
    ((H, F), (), Verdict.REFUTED),
    ((F, N), (), Verdict.REFUTED),
    ((H, N), (), Verdict.NOT_RUN),
    ((H, INC), (), Verdict.INCONCLUSIVE),
    ((H, U), (), Verdict.INCONCLUSIVE),
    ((H, H), (F,), Verdict.QUALIFIED),
    ((H,), (H, F), Verdict.QUALIFIED),
    ((F,), (F,), Verdict.REFUTED),
    ((H,), (H,), Verdict.SUPPORTED),
    ((H,), (N,), Verdict.NOT_RUN),
]


@pytest.mark.parametrize("asserted, beyond, verdict", SENTENCE_TABLE)
def test_sentence_verdict_follows_the_claim_rules_over_asserted_and_beyond(
    asserted, beyond, verdict
):
    named = [(ASSERTED, f) for f in asserted] + [(BEYOND, f) for f in beyond]
    assert sentence_verdict(named) == verdict


def evidence(outcome: Finding, kind: str = "property", examples: int | None = 100) -> Evidence:
    return Evidence(
        test=f"t::{outcome}-{kind}",
        proposition="c/asserted-0",
        kind=kind,
        outcome=str(outcome),
        examples=examples,
    )


# (outcomes of the proposition's tests, has tests) -> finding
PROPOSITION_TABLE = [
    ((), False, U),
    ((), True, N),
    ((H,), True, H),
    ((H, H), True, H),
    ((H, F), True, F),
    ((F, E), True, E),  # an error is never hidden behind a counterexample
    ((H, E), True, E),
    # A test whose committed evidence is missing or stale (evidence.NotRun) holds nothing up...
    ((N,), True, N),
    ((H, N), True, N),
    # ...and hides no counterexample.
    ((N, F), True, F),
]


@pytest.mark.parametrize("outcomes, has_tests, finding", PROPOSITION_TABLE)
def test_proposition_finding_follows_the_rules(outcomes, has_tests, finding):
    assert proposition_finding([evidence(o) for o in outcomes], has_tests=has_tests) == finding


CLAIM = Claim(
    "c",
    "t",
    (SourceRef("doc", "S01", "x"),),
    "s",
    (
        proposition("asserted-0", ASSERTED),
        proposition("asserted-1", ASSERTED),
        proposition("beyond-0", BEYOND),
        proposition("lemma-0", LEMMA),
    ),
)
ALL = {p.id for p in CLAIM.propositions}


def judged(*found: Evidence):
    return evaluate(CLAIM, found, tested=ALL)


def test_supported_strength_is_the_weakest_over_the_asserted_propositions_only():
    result = judged(
        Evidence("a", "c/asserted-0", "symbolic", "HOLDS"),
        Evidence("b", "c/asserted-1", "property", "HOLDS", examples=37),
        Evidence("c", "c/beyond-0", "real-model", "HOLDS"),
        Evidence("d", "c/lemma-0", "experiment", "HOLDS"),
    )
    assert (result.verdict, result.strength) == (
        Verdict.SUPPORTED,
        "property-tested (>= 37 cases per test)",
    )


def test_qualified_strength_includes_the_failing_beyond_proposition():
    result = judged(
        Evidence("a", "c/asserted-0", "symbolic", "HOLDS"),
        Evidence("b", "c/asserted-1", "certified", "HOLDS"),
        Evidence("c", "c/beyond-0", "experiment", "FAILS"),
        Evidence("d", "c/lemma-0", "real-model", "HOLDS"),
    )
    assert (result.verdict, result.strength) == (Verdict.QUALIFIED, "statistical with CI")


def test_a_counterexample_found_early_does_not_lower_the_case_count():
    result = judged(
        Evidence("a", "c/asserted-0", "property", "HOLDS", examples=100),
        Evidence("a2", "c/asserted-1", "property", "HOLDS", examples=100),
        Evidence("b", "c/beyond-0", "property", "FAILS", examples=1),
        Evidence("c", "c/lemma-0", "symbolic", "HOLDS"),
    )
    assert (result.verdict, result.strength) == (
        Verdict.QUALIFIED,
        "property-tested (>= 100 cases per test)",
    )


def test_refuted_strength_is_the_strongest_failing_asserted_proposition():
    # asserted-0 fails by a proof; asserted-1 only on a real model: one counterexample suffices,
    # so the proof decides. A failing proposition counts its strongest failing test.
    result = judged(
        Evidence("a", "c/asserted-0", "symbolic", "FAILS"),
        Evidence("a2", "c/asserted-0", "certified", "HOLDS"),
        Evidence("b", "c/asserted-1", "real-model", "FAILS"),
        Evidence("c", "c/beyond-0", "experiment", "HOLDS"),
        Evidence("d", "c/lemma-0", "real-model", "FAILS"),
    )
    assert (result.verdict, result.strength) == (Verdict.REFUTED, "proved symbolically")


def test_a_failing_proposition_counts_only_its_failing_tests():
    # The proof held; the counterexample came from a Hypothesis search: that is what refutes.
    result = judged(
        Evidence("a", "c/asserted-0", "symbolic", "HOLDS"),
        Evidence("a2", "c/asserted-0", "property", "FAILS", examples=3),
        Evidence("b", "c/asserted-1", "real-model", "FAILS"),
        Evidence("c", "c/beyond-0", "experiment", "HOLDS"),
    )
    assert (result.verdict, result.strength) == (Verdict.REFUTED, "property-tested")


def test_a_search_and_an_exact_counterexample_count_as_the_exact_one():
    result = judged(
        Evidence("a", "c/asserted-0", "property", "FAILS", examples=2),
        Evidence("a2", "c/asserted-0", "symbolic", "FAILS"),
        Evidence("b", "c/asserted-1", "symbolic", "HOLDS"),
        Evidence("c", "c/beyond-0", "experiment", "HOLDS"),
    )
    assert (result.verdict, result.strength) == (Verdict.REFUTED, "proved symbolically")


def test_a_failing_lemma_neither_refutes_nor_weakens_the_claim():
    result = judged(
        Evidence("a", "c/asserted-0", "symbolic", "HOLDS"),
        Evidence("a2", "c/asserted-1", "symbolic", "HOLDS"),
        Evidence("b", "c/beyond-0", "symbolic", "HOLDS"),
        Evidence("c", "c/lemma-0", "real-model", "FAILS"),
    )
    assert (result.verdict, result.strength) == (Verdict.SUPPORTED, "proved symbolically")


def test_an_undecided_claim_claims_no_strength():
    found = [Evidence("a", "c/asserted-0", "symbolic", "HOLDS")]
    result = evaluate(CLAIM, found, tested={"c/asserted-0"})  # the others are UNTESTED
    assert (result.verdict, result.strength) == (Verdict.INCONCLUSIVE, None)


def test_a_construction_ranks_below_a_certified_bound_and_above_a_property_test():
    # README, "Strength": exact on a named finite set, so stronger than a search that
    # drew cases, weaker than a bound over a continuum.
    supported = judged(
        Evidence("a", "c/asserted-0", "construction", "HOLDS"),
        Evidence("a2", "c/asserted-1", "certified", "HOLDS"),
        Evidence("c", "c/beyond-0", "construction", "HOLDS"),
    )
    assert (supported.verdict, supported.strength) == (
        Verdict.SUPPORTED,
        "deterministic (by construction or exhaustive)",
    )
    refuted = judged(
        Evidence("a", "c/asserted-0", "construction", "FAILS"),
        Evidence("a2", "c/asserted-0", "property", "FAILS", examples=4),
        Evidence("b", "c/asserted-1", "experiment", "FAILS"),
        Evidence("c", "c/beyond-0", "construction", "HOLDS"),
    )
    assert (refuted.verdict, refuted.strength) == (
        Verdict.REFUTED,
        "deterministic (by construction or exhaustive)",
    )
