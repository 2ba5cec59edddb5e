"""The vocabulary of the suite: claims, propositions, findings, verdicts, evidence kinds.

These are plain frozen dataclasses and string enums so that the catalog modules read as data
and everything serialises to JSON without custom encoders. See "Note [Claims]" in
``claims/__init__.py`` for how the pieces fit together.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field


class Role(enum.StrEnum):
    """What a proposition is to the source, read from the quoted sentences (README, "Roles and
    readings"); the verdict rules in claims/engine/verdicts.py treat each role differently."""

    # What the quoted sentences say, in the scope they state or clearly imply.
    ASSERTED = "asserted"
    # A fact the checks rely on that the source does not assert (exact constants, certified
    # thresholds, conventions): reported as context, never decides a verdict.
    LEMMA = "lemma"
    # The claim carried past what the source asserts, to find where it stops holding.
    BEYOND = "beyond"


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
# Never INCONCLUSIVE, not even on re-registration: a statistical design states its minimum
# detectable effect first (Proposition.power), and one that cannot buy it leaves the catalog
# (README, "Registration").
EXPECTABLE_FINDINGS = (Finding.HOLDS, Finding.FAILS)


class Verdict(enum.StrEnum):
    """What the findings of a claim's propositions add up to (see claims.engine.verdicts)."""

    SUPPORTED = "SUPPORTED"
    QUALIFIED = "QUALIFIED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_RUN = "NOT_RUN"


class EvidenceKind(enum.StrEnum):
    """How a test checks its proposition, strongest first.

    The order is the evidence-strength scale of README, "Strength": a symbolic proof
    covers every input; a certified bound covers a continuum (an interval) rigorously; a
    construction is exact and deterministic on the cases it names -- one explicit construction
    (a counterexample built to order, twin circuits with bit-identical outputs) or an exhaustive
    check of a fixed finite set (every neuron of every fixed seed) -- with no sampling and no
    interval; a property test covers the cases it drew at random from an infinite space; a
    statistical experiment bounds an effect with a confidence interval; a measurement on a real
    model reports what one model does.

    Why a construction sits below certified and above property: like a certified bound it
    cannot be unlucky (rerun, it finds the same; an exhaustive check misses nothing in its set),
    but it speaks for the finite set it names, not for a continuum; a property test covers more
    kinds of input but only as many as it drew, and a search that found nothing may have looked
    in the wrong place. One deterministic counterexample refutes as surely as any.
    """

    SYMBOLIC = "symbolic"
    CERTIFIED = "certified"
    CONSTRUCTION = "construction"
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
    EvidenceKind.CONSTRUCTION: "deterministic (by construction or exhaustive)",
    EvidenceKind.PROPERTY: "property-tested",
    EvidenceKind.EXPERIMENT: "statistical with CI",
    EvidenceKind.REAL_MODEL: "measured",
}

# The core scope keys every catalog may use. A scope says under which conditions the formal
# statement is asserted. A catalog may declare more (its module's ``SCOPE_KEYS``, name ->
# meaning, e.g. "device", "torch" or "spelling": docs/adding-a-claim.md, "Scope keys"); any other key is a typo
# the registry rejects.
SCOPE_KEYS = ("activation", "architecture", "optimizer", "dtype", "aggregation")
# `aggregation` is the one scope key with a closed vocabulary: it decides whether a statement
# is about one example's gradient or about a gradient summed over examples or tokens.
AGGREGATIONS = ("per-example", "batched")


@dataclass(frozen=True)
class SourceRef:
    # The source document quoted: claims/data/sources/<document>.txt, e.g. "gradient-hacking".
    document: str
    # Sentence id in that document, e.g. "S09".
    sentence: str
    # Verbatim text from that sentence; the registry checks it against its own document.
    quote: str

    @property
    def key(self) -> str:
        """The sentence as the catalog names it across documents: "gradient-hacking:S09"."""
        return sentence_key(self.document, self.sentence)


def sentence_key(document: str, sentence: str) -> str:
    """The sentence key "<document>:<sentence id>": one sentence, unambiguous across documents."""
    return f"{document}:{sentence}"


def resolve_sentence(quoted_documents: tuple[str, ...], entry: str) -> tuple[str, str]:
    """(document, sentence id) a ``formalizes`` entry names, for a claim quoting these documents.

    The rule (docs/adding-a-claim.md, "Naming sentences"): an entry is "<document>:<id>" (always allowed) or a bare
    "<id>", which names a sentence of the claim's one quoted document and is refused (ValueError)
    when the claim quotes several documents: a bare id there would be ambiguous.
    """
    document, colon, sentence = entry.rpartition(":")
    if colon:
        return document, sentence
    if len(quoted_documents) != 1:
        choices = " or ".join(repr(sentence_key(d, entry)) for d in quoted_documents)
        raise ValueError(
            f"bare sentence id {entry!r} is ambiguous: the claim quotes "
            f"{len(quoted_documents)} documents; write {choices or 'document:id'}"
        )
    return quoted_documents[0], entry


# One piece of a key's text: "{name}" or "{name:spec}" (a measurement and an optional Python
# format spec), a doubled brace standing for itself, or a lone brace (malformed).
_KEY_TOKEN = re.compile(r"\{\{|\}\}|\{(?P<name>[A-Za-z0-9_.-]+)(?::(?P<spec>[^{}]*))?\}|[{}]")


@dataclass(frozen=True)
class Key:
    """A proposition's decisive number in plain words, filled in from its tests' measurements.

    ``Key("largest |dL/dz| at an inactive neuron: {max_abs_error_signal_at_inactive}")``; a
    placeholder may carry a format spec, ``{t_0.01_low:.7f}``; without one, numbers show with 4
    significant digits. Write ``{{`` and ``}}`` for literal braces.
    """

    # Plain words with at least one placeholder naming a measurement the tests record.
    text: str

    def parts(self) -> list[str | tuple[str, str | None]]:
        """Literal text and (measurement, spec) placeholders in order; ValueError on a stray brace."""
        parts: list[str | tuple[str, str | None]] = []
        position = 0
        for token in _KEY_TOKEN.finditer(self.text):
            parts.append(self.text[position : token.start()])
            position = token.end()
            if token.group("name") is not None:
                parts.append((token.group("name"), token.group("spec")))
            elif token.group(0) in ("{{", "}}"):
                parts.append(token.group(0)[0])
            else:
                raise ValueError(
                    f"malformed placeholder near {self.text[token.start() : token.start() + 20]!r}"
                    ": write {measurement} or {measurement:spec}, names of [A-Za-z0-9_.-]"
                )
        parts.append(self.text[position:])
        return [part for part in parts if part != ""]

    @property
    def measurements(self) -> tuple[str, ...]:
        """The measurement names the placeholders use, in order of first use."""
        names = [part[0] for part in self.parts() if isinstance(part, tuple)]
        return tuple(dict.fromkeys(names))


class Provenance(enum.StrEnum):
    """How a proposition's current role, expectation and thresholds were registered (README,
    "Registration"; in the spirit of the OSF Preregistration's question on existing data)."""

    # Before any result of it, or of a design measuring it, was seen: in a catalog-only commit
    # that precedes every test measuring it.
    BLIND = "blind"
    # Knowing results of it or of its design (Registration.known says which, and where).
    INFORMED = "informed"


@dataclass(frozen=True)
class Registration:
    """When and how a proposition's role, expectation and thresholds were fixed."""

    # Provenance.BLIND or Provenance.INFORMED.
    provenance: Provenance
    # The commit that registered the current role, expectation and thresholds (7-40 hex digits),
    # or "" for the commit that adds this text (named in a later catalog-only commit).
    commit: str
    # What was known when it was registered, and where it was seen (informed); what the
    # expectation rests on (blind), e.g. "the mathematics in the module docstring".
    known: str


def blind(known: str, commit: str = "") -> Registration:
    """A registration made before any result of the proposition or its design was seen."""
    return Registration(Provenance.BLIND, commit, known)


def informed(known: str, commit: str = "") -> Registration:
    """A registration made knowing results: ``known`` says which, and where they were seen."""
    return Registration(Provenance.INFORMED, commit, known)


@dataclass(frozen=True)
class Reading:
    """Why an asserted proposition is the weakest faithful reading of its sentence(s)."""

    # Words of a sentence the proposition formalizes, verbatim (the registry checks them): what
    # the reading rests on.
    words: str
    # One line: why no weaker reading would do -- what later sentences of the argument rely on,
    # and the scope the sentence states or clearly implies.
    why: str


@dataclass(frozen=True)
class Grid:
    """One asserted statement tested across conditions: each proposition of the grid is a cell."""

    # kebab-case, unique within its claim, e.g. "inactive-weights-still".
    name: str
    # What every cell states, in plain words.
    statement: str
    # The conditions, in display order, e.g. ("activation", "optimizer"); the first axis gives
    # the rows of the report's table, the others its columns.
    axes: tuple[str, ...]


@dataclass(frozen=True)
class Proposition:
    # "<claim-id>/<short-name>", both kebab-case.
    id: str
    # The formal statement, math in text form.
    statement: str
    # Conditions under which the statement is asserted; keys from SCOPE_KEYS or declared by the
    # catalog (docs/adding-a-claim.md, "Scope keys").
    scope: Mapping[str, str]
    # Role.ASSERTED, Role.LEMMA or Role.BEYOND: what the proposition is to the source.
    role: Role
    # What the suite expects to find; pytest is green exactly when findings match it.
    expected: Finding
    # Why the expectation is what it is, in one or two sentences (shown in the report).
    rationale: str = ""
    _: KW_ONLY
    # Sentences this proposition formalizes: required for asserted (what it asserts), allowed for
    # beyond (the sentences it carries further, so a sentence can read QUALIFIED), empty for
    # lemmas. A bare id ("S09") when its claim quotes one document; "<document>:S09" when it
    # quotes several.
    formalizes: tuple[str, ...] = ()
    # Asserted only (required there): the words it rests on and why it is the weakest faithful
    # reading of them.
    reading: Reading | None = None
    # How its current role, expectation and thresholds were registered: blind or informed.
    registration: Registration | None = None
    # A statistical design's minimum detectable effect and the seeds (and prompts) that buy it,
    # stated before it runs; required for a proposition with an `experiment` test.
    power: str = ""
    # Its decisive number in plain words, shown in the report's tables.
    key: Key | None = None
    # The conditions grid this proposition is one cell of (a Grid name of its claim), if any.
    grid: str | None = None
    # Its coordinates in that grid, one value per axis, e.g. {"activation": "GELU"}.
    cell: Mapping[str, str] = field(default_factory=dict)
    # Set when the expectation or design was changed after results were seen: when, what and
    # why, in one or two sentences (README, "Registration"). Shown in the report beside the
    # expectation; empty for a proposition as first registered. Requires informed provenance.
    reregistered: str = ""


@dataclass(frozen=True)
class Unchecked:
    """A source sentence the catalog deliberately does not check, and why."""

    # The document it belongs to, e.g. "gradient-hacking".
    document: str
    # Sentence id in that document, e.g. "S01".
    sentence: str
    # Why no proposition formalizes it (framing; a premise no mechanistic test reaches; ...).
    reason: str
    # A clause of a sentence that is otherwise checked, quoted verbatim: that part alone is not
    # checked ("which would generalize poorly out of distribution"). Empty: the whole sentence.
    clause: str = ""


@dataclass(frozen=True)
class Claim:
    # Stable kebab-case id; never renamed once reports cite it.
    id: str
    # Short human title.
    title: str
    # Source sentences the claim rests on, each naming its document, with verbatim quotes.
    source: tuple[SourceRef, ...]
    # The claim in plain language, as this suite reads the source.
    statement: str
    # The checkable pieces; each has its own tests.
    propositions: tuple[Proposition, ...]
    # Free-form notes for the report (conventions, interpretation choices).
    notes: tuple[str, ...] = field(default=())
    # Conditions grids: statements tested across conditions, one proposition per cell.
    grids: tuple[Grid, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents its quotes name, in order of first quote."""
        return tuple(dict.fromkeys(ref.document for ref in self.source))

    def formalized(self, proposition: Proposition) -> tuple[tuple[str, str], ...]:
        """(document, sentence id) of each sentence ``proposition`` formalizes (resolve_sentence)."""
        return tuple(resolve_sentence(self.documents, entry) for entry in proposition.formalizes)
