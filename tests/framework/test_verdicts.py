"""Verdict aggregation, table-driven: each row is a set of findings and the verdict it must give."""

import pytest

from claims.evidence import Evidence
from claims.records import Claim, Finding, Proposition, Role, SourceRef, Verdict
from claims.verdicts import claim_verdict, evaluate, proposition_finding

H, F, E, N, U = Finding.HOLDS, Finding.FAILS, Finding.ERROR, Finding.NOT_RUN, Finding.UNTESTED
CORE, BOUNDARY = Role.CORE, Role.BOUNDARY


def proposition(name: str, role: Role) -> Proposition:
    return Proposition(f"c/{name}", "s", {}, role, Finding.HOLDS)


# (core findings, boundary findings) -> verdict
CLAIM_TABLE = [
    ((H, H), (), Verdict.SUPPORTED),
    ((H,), (H, H), Verdict.SUPPORTED),
    ((H,), (F,), Verdict.QUALIFIED),
    ((H, H), (H, F), Verdict.QUALIFIED),
    ((F,), (), Verdict.REFUTED),
    ((H, F), (F,), Verdict.REFUTED),
    ((F,), (N,), Verdict.REFUTED),  # a counterexample refutes even in a partial run
    ((F, E), (), Verdict.REFUTED),
    ((H, N), (), Verdict.NOT_RUN),
    ((H,), (N,), Verdict.NOT_RUN),
    ((N, N), (), Verdict.NOT_RUN),
    ((H, E), (), Verdict.INCONCLUSIVE),
    ((H, U), (), Verdict.INCONCLUSIVE),  # UNTESTED never supports
    ((H,), (E,), Verdict.INCONCLUSIVE),  # SUPPORTED vs QUALIFIED undecidable
    ((H,), (U, F), Verdict.INCONCLUSIVE),
]


@pytest.mark.parametrize("core, boundary, verdict", CLAIM_TABLE)
def test_claim_verdict_follows_the_rules(core, boundary, verdict):
    findings = [(proposition(f"core-{i}", CORE), f) for i, f in enumerate(core)]
    findings += [(proposition(f"boundary-{i}", BOUNDARY), f) for i, f in enumerate(boundary)]
    decided, reason = claim_verdict(findings)
    assert decided == verdict
    assert reason


def evidence(outcome: Finding, kind: str = "property", examples: int | None = 100) -> Evidence:
    return Evidence(
        test=f"t::{outcome}-{kind}",
        proposition="c/core-0",
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
]


@pytest.mark.parametrize("outcomes, has_tests, finding", PROPOSITION_TABLE)
def test_proposition_finding_follows_the_rules(outcomes, has_tests, finding):
    assert proposition_finding([evidence(o) for o in outcomes], has_tests=has_tests) == finding


CLAIM = Claim(
    "c",
    "t",
    (SourceRef("S01", "x"),),
    "s",
    (proposition("core-0", CORE), proposition("boundary-0", BOUNDARY)),
)


def test_strength_is_the_weakest_evidence_kind_behind_the_verdict():
    found = [
        Evidence("a", "c/core-0", "symbolic", "HOLDS"),
        Evidence("b", "c/boundary-0", "property", "HOLDS", examples=37),
    ]
    result = evaluate(CLAIM, found, tested={"c/core-0", "c/boundary-0"})
    assert result.verdict == Verdict.SUPPORTED
    assert result.strength == "property-tested (>= 37 cases per test)"


def test_a_counterexample_found_early_does_not_lower_the_case_count():
    found = [
        Evidence("a", "c/core-0", "property", "HOLDS", examples=100),
        Evidence("b", "c/boundary-0", "property", "FAILS", examples=1),
    ]
    result = evaluate(CLAIM, found, tested={"c/core-0", "c/boundary-0"})
    assert (result.verdict, result.strength) == (
        Verdict.QUALIFIED,
        "property-tested (>= 100 cases per test)",
    )


def test_a_refutation_is_as_strong_as_its_counterexample():
    found = [
        Evidence("a", "c/core-0", "symbolic", "FAILS"),
        Evidence("b", "c/boundary-0", "real-model", "HOLDS"),
    ]
    result = evaluate(CLAIM, found, tested={"c/core-0", "c/boundary-0"})
    assert (result.verdict, result.strength) == (Verdict.REFUTED, "proved symbolically")


def test_an_undecided_claim_claims_no_strength():
    result = evaluate(CLAIM, [Evidence("a", "c/core-0", "symbolic", "HOLDS")], tested={"c/core-0"})
    assert (result.verdict, result.strength) == (Verdict.INCONCLUSIVE, None)
