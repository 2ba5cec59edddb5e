"""From test evidence to proposition findings to claim and sentence verdicts.

The rules are written once, in the README ("Verdict rules": findings, verdicts 1-5, strength,
the sentence rule); this module is their implementation and nothing else: ``proposition_finding``
(the finding of one proposition from its tests), ``claim_verdict`` and ``sentence_verdict``
(rules 1-5; lemmas never decide), ``strength``, the keys (``render_key``, ``claim_key``,
``sentence_key``), ``evaluate`` (one claim) and ``judge`` (a whole run: the one judging step of
a pytest session and of ``claims merge``). What survives, the grid tables and the sentence
tables of the JSON are said from these results by claims.report.sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from claims.engine.evidence import Evidence
from claims.engine.numbers import number, shown_number
from claims.engine.records import Claim, EvidenceKind, Finding, Key, Proposition, Role, Verdict
from claims.engine.registry import Registry

# Findings that leave a verdict undecided (rule 3).
UNDECIDED = (Finding.ERROR, Finding.UNTESTED, Finding.INCONCLUSIVE)
# Findings of a proposition that did not run in this session: it has no numbers to show.
DID_NOT_RUN = (Finding.NOT_RUN, Finding.UNTESTED)


@dataclass(frozen=True)
class PropositionResult:
    proposition: Proposition
    finding: Finding
    evidence: tuple[Evidence, ...]
    # The key filled in from the evidence's measurements; None without a key, when the
    # proposition did not run, or when a measurement it names is missing (see `missing`).
    key: str | None = None
    # Measurements the key names that none of the evidence recorded, though the proposition ran.
    missing: tuple[str, ...] = ()

    @property
    def matches_expectation(self) -> bool | None:
        """Did the finding equal the catalog's expectation? None when it did not run here."""
        if self.finding is Finding.NOT_RUN:
            return None
        return self.finding == self.proposition.expected


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: Verdict
    # Why the verdict is what it is, naming the propositions that decided it.
    reason: str
    # e.g. "property-tested (>= 100 cases per test)"; None when no evidence decided the verdict.
    strength: str | None
    propositions: tuple[PropositionResult, ...]
    # The claim's decisive number in plain words (see claim_key).
    key: str | None = None


def proposition_finding(evidence: Iterable[Evidence], *, has_tests: bool) -> Finding:
    outcomes = {Finding(e.outcome) for e in evidence}
    if not has_tests:
        return Finding.UNTESTED
    if not outcomes:
        return Finding.NOT_RUN
    for decisive in (Finding.ERROR, Finding.FAILS, Finding.INCONCLUSIVE, Finding.NOT_RUN):
        if decisive in outcomes:
            return decisive
    return Finding.HOLDS


def claim_verdict(findings: Sequence[tuple[Proposition, Finding]]) -> tuple[Verdict, str]:
    """The claim verdict rules 1-5 (README, "Verdicts"); lemmas never decide."""

    def ids(roles: tuple[Role, ...], *wanted: Finding) -> list[str]:
        return [p.id for p, f in findings if f in wanted and p.role in roles]

    deciding = (Role.ASSERTED, Role.BEYOND)
    if failed := ids((Role.ASSERTED,), Finding.FAILS):
        return Verdict.REFUTED, "asserted proposition fails as stated: " + ", ".join(failed)
    if not_run := ids(deciding, Finding.NOT_RUN):
        return Verdict.NOT_RUN, "not run in this session: " + ", ".join(not_run)
    if undecided := ids(deciding, *UNDECIDED):
        by_id = {p.id: f for p, f in findings}
        return Verdict.INCONCLUSIVE, "no decision from: " + ", ".join(
            f"{p} ({by_id[p]})" for p in undecided
        )
    if limits := ids((Role.BEYOND,), Finding.FAILS):
        return (
            Verdict.QUALIFIED,
            "every asserted proposition holds as stated; does not carry to: " + (", ".join(limits)),
        )
    if ids((Role.BEYOND,), Finding.HOLDS):
        return Verdict.SUPPORTED, "every asserted proposition holds, and so does every beyond one"
    return Verdict.SUPPORTED, "every asserted proposition holds"


def sentence_verdict(findings: Iterable[tuple[Role, Finding]]) -> Verdict:
    """Rules 1-5 over the (role, finding) of the asserted and beyond propositions naming one
    sentence; a sentence has no propositions of its own, so it shares the claim rules."""
    return claim_verdict([(_Named(role), finding) for role, finding in findings])[0]


@dataclass(frozen=True)
class _Named:
    """The part of a Proposition the verdict rules read (a role), for sentence verdicts."""

    role: Role
    id: str = ""


def _own_strength(result: PropositionResult) -> EvidenceKind:
    """A failing proposition: its strongest failing test; otherwise its weakest test."""
    if result.finding == Finding.FAILS:
        failing = [EvidenceKind(e.kind) for e in result.evidence if e.outcome == Finding.FAILS]
        return max(failing, key=lambda kind: kind.rank)
    return _weakest(EvidenceKind(e.kind) for e in result.evidence)


def _weakest(kinds: Iterable[EvidenceKind]) -> EvidenceKind:
    return min(kinds, key=lambda kind: kind.rank)


def strength(results: Iterable[PropositionResult], verdict: Verdict) -> str | None:
    """The evidence that decided the verdict (README, "Strength")."""
    results = [r for r in results if r.evidence]
    asserted = [r for r in results if r.proposition.role == Role.ASSERTED]
    if verdict is Verdict.REFUTED:
        failing = [r for r in asserted if r.finding == Finding.FAILS]
        if not failing:
            return None
        # One counterexample suffices: the best-evidenced failing proposition decides.
        chosen = max((_own_strength(r) for r in failing), key=lambda kind: kind.rank)
        deciding = [r for r in failing if _own_strength(r) is chosen]
    elif verdict is Verdict.QUALIFIED:
        deciding = asserted + [
            r for r in results if r.proposition.role == Role.BEYOND and r.finding == Finding.FAILS
        ]
    elif verdict is Verdict.SUPPORTED:
        deciding = asserted
    else:
        return None
    if not deciding:
        return None
    weakest = _weakest(_own_strength(r) for r in deciding)
    evidence = [e for r in deciding for e in r.evidence if EvidenceKind(e.kind) is weakest]
    # Cases count coverage only where a property held; a failing test stops at its counterexample.
    counted = [
        e.examples
        for e in evidence
        if e.kind == weakest and e.examples is not None and e.outcome == Finding.HOLDS
    ]
    if weakest is EvidenceKind.PROPERTY and counted:
        return f"{weakest.strength_label} (>= {min(counted)} cases per test)"
    return weakest.strength_label


def render_key(key: Key, measured: Mapping[str, float | str]) -> tuple[str, tuple[str, ...]]:
    """The key's text with each placeholder filled in; and the measurement names not in
    `measured` (their placeholders stay as written). An observed non-finite value (JSON "nan",
    "inf", "-inf") reads "NaN", "∞", "−∞"."""
    text, missing = [], []
    for part in key.parts():
        if isinstance(part, str):
            text.append(part)
            continue
        name, spec = part
        if name not in measured:
            missing.append(name)
            text.append("{" + name + (f":{spec}" if spec else "") + "}")
        elif (nonfinite := shown_number(measured[name])) is not None:
            text.append(nonfinite)  # an observed NaN or infinity: no format spec applies
        else:
            value = measured[name]
            text.append(format(value, spec) if spec else number(value))
    return "".join(text), tuple(dict.fromkeys(missing))


def _keyed(proposition: Proposition, finding: Finding, evidence: Sequence[Evidence]):
    """(rendered key, missing measurements) for one proposition's evidence."""
    if proposition.key is None or finding in DID_NOT_RUN:
        return None, ()
    measured: dict[str, float] = {}
    for found in evidence:  # sorted by test id: the first test that recorded a name gives it
        for name, value in found.measurements.items():
            measured.setdefault(name, value["value"])
    text, missing = render_key(proposition.key, measured)
    return (None, missing) if missing else (text, ())


def key_problems(results: Iterable[ClaimResult], ran_whole: set[str] | None = None) -> list[str]:
    """One line per key that cannot be filled in faithfully, naming the key and the tests.

    A key naming a measurement none of its proposition's tests recorded would show a gap; one
    naming a measurement two of its tests record would show whichever sorts first (within one
    test a measurement folds across examples, which is fine; across tests nothing says which
    one the key means). ``ran_whole`` holds the propositions all of whose tests ran; in a
    partial run a test that did not run may be the one that records the number, so only those
    are judged for missing measurements (None: all).
    """
    problems = []
    for claim in results:
        for r in claim.propositions:
            tests = ", ".join(e.test for e in r.evidence) or "no test ran"
            if ran_whole is None or r.proposition.id in ran_whole:
                problems += [
                    f"{r.proposition.id}: key names measurement {name!r}, which none of its "
                    f"tests recorded ({tests})"
                    for name in r.missing
                ]
            for name in r.proposition.key.measurements if r.proposition.key else ():
                recorders = [e.test for e in r.evidence if name in e.measurements]
                if len(recorders) > 1:
                    problems.append(
                        f"{r.proposition.id}: key names measurement {name!r}, which "
                        f"{len(recorders)} of its tests record ({', '.join(recorders)}): the key "
                        "would show one of them; record it in one test"
                    )
    return problems


def figure_problems(evidence: Iterable[Evidence]) -> list[str]:
    """One line per figure name two tests saved: the report would keep only the last one."""
    savers: dict[str, list[str]] = {}
    for found in sorted(evidence, key=lambda e: e.test):
        for name in found.figures:
            savers.setdefault(name, []).append(found.test)
    return [
        f"figure {name!r} is saved by {len(tests)} tests ({', '.join(tests)}): the report would "
        "keep one of them; give each figure its own name"
        for name, tests in sorted(savers.items())
        if len(tests) > 1
    ]


def claim_key(results: Sequence[PropositionResult], verdict: Verdict) -> str | None:
    """The claim's decisive number: the key of the proposition that decided, in catalog order."""

    def first(roles: tuple[Role, ...], *findings: Finding) -> str | None:
        keyed = (r for r in results if r.key and r.proposition.role in roles)
        return next((r.key for r in keyed if not findings or r.finding in findings), None)

    asserted, beyond = (Role.ASSERTED,), (Role.BEYOND,)
    if verdict is Verdict.REFUTED:
        return first(asserted, Finding.FAILS)
    if verdict is Verdict.QUALIFIED:
        held, limit = first(asserted, Finding.HOLDS), first(beyond, Finding.FAILS)
        parts = (held, f"does not carry to: {limit}" if limit else None)
        return "; ".join(part for part in parts if part) or None
    if verdict is Verdict.SUPPORTED:
        return first(asserted)
    return first(asserted + beyond, Finding.NOT_RUN, *UNDECIDED)


def evaluate(claim: Claim, evidence: Iterable[Evidence], tested: set[str]) -> ClaimResult:
    """Aggregate one claim. ``tested`` holds ids of propositions that have a test in the suite."""
    evidence = list(evidence)
    results = []
    for proposition in claim.propositions:
        own = tuple(
            sorted((e for e in evidence if e.proposition == proposition.id), key=lambda e: e.test)
        )
        finding = proposition_finding(own, has_tests=proposition.id in tested)
        key, missing = _keyed(proposition, finding, own)
        results.append(PropositionResult(proposition, finding, own, key, missing))
    verdict, reason = claim_verdict([(r.proposition, r.finding) for r in results])
    return ClaimResult(
        claim,
        verdict,
        reason,
        strength(results, verdict),
        tuple(results),
        key=claim_key(results, verdict),
    )


def sentence_key(verdict: Verdict, pairs: Sequence[tuple[Claim, PropositionResult]]) -> str | None:
    """The decisive number of a sentence, by the claim_key rule over the propositions naming it."""
    return claim_key([r for _, r in pairs], verdict)


@dataclass(frozen=True)
class Judgement:
    """A whole run judged: every claim's result, and the problems that make the report unable
    to say what ran (one line each; a run or a merge with any is red)."""

    results: tuple[ClaimResult, ...]
    problems: tuple[str, ...]


def judge(
    registry: Registry,
    evidence: Iterable[Evidence],
    collected: Mapping[str, str],
    *,
    complete: bool,
) -> Judgement:
    """Judge every claim of ``registry`` on ``evidence``: the one judging step of a pytest session
    (claims.pytest.session) and of ``claims merge`` (claims.report.merge), so the two cannot
    differ.

    ``collected`` maps every claim test collected (node id) to the proposition it checks.
    Only a ``complete`` run can tell "no test exists" (UNTESTED) from "not selected" (NOT_RUN);
    a key naming a measurement that no test recorded is a problem only for propositions every
    collected test of which ran (in a partial run the missing test may be the one recording it).
    """
    evidence = sorted(evidence, key=lambda e: e.test)
    tested = set(collected.values()) if complete else set(registry.propositions)
    results = tuple(evaluate(claim, evidence, tested) for claim in registry.claims)
    ran = {e.test for e in evidence}
    tests: dict[str, set[str]] = {}
    for test, proposition in collected.items():
        tests.setdefault(proposition, set()).add(test)
    whole = {p for p, nodes in tests.items() if nodes <= ran}
    problems = key_problems(results, whole) + figure_problems(evidence)
    return Judgement(results, tuple(problems))
