"""The vocabulary of the suite: claims, propositions, findings, verdicts, evidence kinds.

These are plain frozen dataclasses and string enums so that the catalog modules read as data
and everything serialises to JSON without custom encoders. See "Note [Claims]" in
``claims/__init__.py`` for how the pieces fit together.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    # What the source asserts.
    CORE = "core"
    # Where or how the assertion stops holding (a wider scope, another architecture, ...).
    BOUNDARY = "boundary"


class Finding(enum.StrEnum):
    """What the evidence says about one proposition."""

    HOLDS = "HOLDS"
    FAILS = "FAILS"
    ERROR = "ERROR"
    NOT_RUN = "NOT_RUN"
    # The proposition has no test anywhere in the suite: it can never support a claim.
    UNTESTED = "UNTESTED"
    # A statistical test whose pre-registered decision rule could not decide (the interval
    # straddles the threshold): never a pass.
    INCONCLUSIVE = "INCONCLUSIVE"


# The findings a catalog may record as expected: a proposition is expected to hold or to fail.
EXPECTABLE_FINDINGS = (Finding.HOLDS, Finding.FAILS)


class Verdict(enum.StrEnum):
    """What the findings of a claim's propositions add up to (see claims.verdicts)."""

    SUPPORTED = "SUPPORTED"
    QUALIFIED = "QUALIFIED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_RUN = "NOT_RUN"


class EvidenceKind(enum.StrEnum):
    """How a test checks its proposition, strongest first.

    The order is the evidence-strength scale of DEVELOPERS.md: a symbolic proof covers every
    input; a certified bound covers an interval rigorously; a property test covers the cases it
    drew; a statistical experiment bounds an effect with a confidence interval; a measurement on
    a real model reports what one model does.
    """

    SYMBOLIC = "symbolic"
    CERTIFIED = "certified"
    PROPERTY = "property"
    EXPERIMENT = "experiment"
    REAL_MODEL = "real-model"

    @property
    def rank(self) -> int:
        """Higher is stronger."""
        return len(EvidenceKind) - list(EvidenceKind).index(self)

    @property
    def strength_label(self) -> str:
        return _STRENGTH_LABELS[self]


_STRENGTH_LABELS = {
    EvidenceKind.SYMBOLIC: "proved symbolically",
    EvidenceKind.CERTIFIED: "certified bound",
    EvidenceKind.PROPERTY: "property-tested",
    EvidenceKind.EXPERIMENT: "statistical with CI",
    EvidenceKind.REAL_MODEL: "measured",
}

# The keys a proposition's scope may use. A scope says under which conditions the formal
# statement is asserted; anything else is a typo the registry rejects.
SCOPE_KEYS = ("activation", "architecture", "optimizer", "dtype", "aggregation")
# `aggregation` is the one scope key with a closed vocabulary: it decides whether a statement
# is about one example's gradient or about a gradient summed over examples or tokens.
AGGREGATIONS = ("per-example", "batched")


@dataclass(frozen=True)
class SourceRef:
    # Sentence id in the source passage, e.g. "S09".
    sentence: str
    # Verbatim text from that sentence; the registry checks it against claims/data.
    quote: str


@dataclass(frozen=True)
class Proposition:
    # "<claim-id>/<short-name>", both kebab-case.
    id: str
    # The formal statement, math in text form.
    statement: str
    # Conditions under which the statement is asserted; keys from SCOPE_KEYS.
    scope: Mapping[str, str]
    # Role.CORE (asserted by the source) or Role.BOUNDARY (where it stops holding).
    role: Role
    # What the suite expects to find; pytest is green exactly when findings match it.
    expected: Finding
    # Why the expectation is what it is, in one or two sentences (shown in the report).
    rationale: str = ""


@dataclass(frozen=True)
class Headline:
    """The one number that matters for a claim: a measurement recorded by one of its tests."""

    # Proposition whose evidence records the measurement.
    proposition: str
    # Measurement name as passed to the `measurements` fixture.
    measurement: str
    # How to phrase it in the summary table, e.g. "max |dL/dz| at inactive neurons".
    label: str


@dataclass(frozen=True)
class Claim:
    # Stable kebab-case id; never renamed once reports cite it.
    id: str
    # Short human title.
    title: str
    # Source sentences the claim rests on, with verbatim quotes.
    source: tuple[SourceRef, ...]
    # The claim in plain language, as this suite reads the source.
    statement: str
    # The checkable pieces; each has its own tests.
    propositions: tuple[Proposition, ...]
    # The number shown beside the verdict in the summary table.
    headline: Headline | None = None
    # Free-form notes for the report (conventions, interpretation choices).
    notes: tuple[str, ...] = field(default=())
