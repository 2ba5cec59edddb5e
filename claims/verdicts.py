"""From test evidence to proposition findings to claim verdicts.

The rules, in order (DEVELOPERS.md, "Verdict language"):

Proposition finding, from the evidence of the tests that check it:
  no test anywhere in the suite              -> UNTESTED
  tests exist but none ran in this session   -> NOT_RUN
  any test ERROR                             -> ERROR   (an error is never a pass)
  any test FAILS                             -> FAILS   (one counterexample refutes)
  any test INCONCLUSIVE                      -> INCONCLUSIVE (statistics could not decide)
  otherwise (every test HOLDS)               -> HOLDS

Claim verdict, from its propositions' findings:
  1. a core proposition FAILS                         -> REFUTED
  2. any proposition NOT_RUN (a partial run)          -> NOT_RUN
  3. any proposition ERROR, UNTESTED or INCONCLUSIVE  -> INCONCLUSIVE
  4. all core HOLD, a boundary proposition FAILS      -> QUALIFIED (holds within the core scope)
  5. all propositions as their role says              -> SUPPORTED

Strength is the weakest evidence kind behind the findings that decided the verdict: a claim is
only as strong as the least rigorous check it needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claims.evidence import Evidence
from claims.records import Claim, EvidenceKind, Finding, Proposition, Role, Verdict


@dataclass(frozen=True)
class PropositionResult:
    proposition: Proposition
    finding: Finding
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: Verdict
    # Why the verdict is what it is, naming the propositions that decided it.
    reason: str
    # e.g. "property-tested (100 cases)"; None when no evidence decided the verdict.
    strength: str | None
    propositions: tuple[PropositionResult, ...]


def proposition_finding(evidence: Iterable[Evidence], *, has_tests: bool) -> Finding:
    outcomes = {Finding(e.outcome) for e in evidence}
    if not has_tests:
        return Finding.UNTESTED
    if not outcomes:
        return Finding.NOT_RUN
    for decisive in (Finding.ERROR, Finding.FAILS, Finding.INCONCLUSIVE):
        if decisive in outcomes:
            return decisive
    return Finding.HOLDS


def claim_verdict(findings: Sequence[tuple[Proposition, Finding]]) -> tuple[Verdict, str]:
    def ids(role: Role | None, *wanted: Finding) -> list[str]:
        return sorted(p.id for p, f in findings if f in wanted and (role is None or p.role == role))

    if failed := ids(Role.CORE, Finding.FAILS):
        return Verdict.REFUTED, "core proposition fails: " + ", ".join(failed)
    if not_run := ids(None, Finding.NOT_RUN):
        return Verdict.NOT_RUN, "not run in this session: " + ", ".join(not_run)
    if undecided := ids(None, Finding.ERROR, Finding.UNTESTED, Finding.INCONCLUSIVE):
        by_id = {p.id: f for p, f in findings}
        return Verdict.INCONCLUSIVE, "no decision from: " + ", ".join(
            f"{p} ({by_id[p]})" for p in undecided
        )
    if limits := ids(Role.BOUNDARY, Finding.FAILS):
        return Verdict.QUALIFIED, "all core propositions hold; stops holding at: " + ", ".join(
            limits
        )
    return Verdict.SUPPORTED, "all core propositions hold and no boundary fails"


def strength(results: Iterable[PropositionResult], verdict: Verdict) -> str | None:
    """The weakest evidence kind among the propositions that decided the verdict."""
    results = list(results)
    if verdict in (Verdict.NOT_RUN, Verdict.INCONCLUSIVE):
        return None
    if verdict is Verdict.REFUTED:
        # A refutation rests on the failing core propositions' counterexamples alone.
        deciding = [
            r for r in results if r.proposition.role == Role.CORE and r.finding == Finding.FAILS
        ]
    else:
        deciding = results
    evidence = [e for r in deciding for e in r.evidence]
    if not evidence:
        return None
    weakest = min((EvidenceKind(e.kind) for e in evidence), key=lambda k: k.rank)
    # Cases count coverage only where a property held; a failing test stops at its counterexample.
    counted = [
        e.examples
        for e in evidence
        if e.kind == weakest and e.examples is not None and e.outcome == Finding.HOLDS
    ]
    if weakest is EvidenceKind.PROPERTY and counted:
        return f"{weakest.strength_label} (>= {min(counted)} cases per test)"
    return weakest.strength_label


def evaluate(claim: Claim, evidence: Iterable[Evidence], tested: set[str]) -> ClaimResult:
    """Aggregate one claim. ``tested`` holds ids of propositions that have a test in the suite."""
    evidence = list(evidence)
    results = []
    for proposition in claim.propositions:
        own = tuple(
            sorted((e for e in evidence if e.proposition == proposition.id), key=lambda e: e.test)
        )
        finding = proposition_finding(own, has_tests=proposition.id in tested)
        results.append(PropositionResult(proposition, finding, own))
    verdict, reason = claim_verdict([(r.proposition, r.finding) for r in results])
    return ClaimResult(claim, verdict, reason, strength(results, verdict), tuple(results))
