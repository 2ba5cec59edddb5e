"""Validate the catalog and index it by id.

Every check here turns a catalog mistake into one ``CatalogError`` line that names the claim,
proposition or sentence at fault, before any test runs (the plugin calls ``build_registry`` at
start-up). Besides each record's own rules, the registry accounts for the sources: every quote is
checked in its own document, and every sentence of every document the catalog cites is either
formalized by some claim's asserted proposition or listed as not checked, with a reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claims.engine import sources
from claims.engine.records import (
    AGGREGATIONS,
    EXPECTABLE_FINDINGS,
    SCOPE_KEYS,
    Claim,
    Grid,
    Key,
    Proposition,
    Provenance,
    Reading,
    Registration,
    Role,
    SourceRef,
    Unchecked,
    resolve_sentence,
    sentence_key,
)
from claims.engine.sources import Document, SourceError

KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CLAIM_ID = re.compile(rf"^{KEBAB}$")
PROPOSITION_ID = re.compile(rf"^({KEBAB})/({KEBAB})$")
SCOPE_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
ROLES = ", ".join(role.value for role in Role)
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


class CatalogError(ValueError):
    """The catalog (or a test's reference to it) is malformed."""


@dataclass(frozen=True)
class Registry:
    claims: tuple[Claim, ...]
    # The source sentences the catalog deliberately does not check, with reasons.
    not_checked: tuple[Unchecked, ...] = ()
    # The documents the catalog cites, by name, in order of first citation; each holds its
    # sentences (id -> text, in document order) the catalog was checked against.
    documents: Mapping[str, Document] = field(default_factory=dict)
    # Scope keys the catalog declared beyond the core SCOPE_KEYS, name -> meaning.
    scope_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def propositions(self) -> dict[str, Proposition]:
        return {p.id: p for claim in self.claims for p in claim.propositions}

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise CatalogError(f"unknown claim id {claim_id!r}")

    def sentence_order(self, claim: Claim) -> Callable[[Proposition], tuple[int, int]]:
        """Sort key listing ``claim``'s propositions as a reader meets their sentences: by the
        earliest sentence each formalizes (documents in order of first citation, each in its own
        sentence order), ties in catalog order; those formalizing none after, in catalog order."""
        position = {
            pair: index
            for index, pair in enumerate(
                (name, sentence)
                for name, document in self.documents.items()
                for sentence in document.sentences
            )
        }
        declared = {p.id: index for index, p in enumerate(claim.propositions)}
        last = len(position)

        def key(proposition: Proposition) -> tuple[int, int]:
            found = [position.get(pair, last) for pair in claim.formalized(proposition)]
            return min(found, default=last), declared[proposition.id]

        return key

    def proposition(self, proposition_id: str) -> Proposition:
        """Look up a proposition id as written in a marker; malformed and unknown ids differ."""
        if not isinstance(proposition_id, str) or not PROPOSITION_ID.match(proposition_id):
            raise CatalogError(
                f"malformed proposition id {proposition_id!r}: expected '<claim-id>/<name>', "
                "both kebab-case"
            )
        found = self.propositions.get(proposition_id)
        if found is None:
            known = ", ".join(sorted(self.propositions)) or "none"
            raise CatalogError(f"unknown proposition id {proposition_id!r}; known: {known}")
        return found


def build_registry(
    claims: Iterable[Claim],
    documents: Mapping[str, Document | Mapping[str, str]] | None = None,
    not_checked: Iterable[Unchecked] = (),
    scope_keys: Mapping[str, str] | None = None,
    claim_scope_keys: Mapping[str, Mapping[str, str]] | None = None,
    homes: Mapping[str, str] | None = None,
) -> Registry:
    """Check every claim against the rules of the catalog and its source documents.

    ``documents`` maps a document name to its Document (or just its sentences, id -> text); by
    default each cited document is read from claims/data/sources (claims.engine.sources.load).
    ``scope_keys`` declares scope keys beyond the core SCOPE_KEYS for every claim, name ->
    meaning (docs/adding-a-claim.md, "Scope keys"); ``claim_scope_keys`` (claim id -> name -> meaning) declares
    those of one claim only (its module's SCOPE_KEYS); ``homes`` (claim id -> the file that
    defines it) lets an undeclared key's error say where to declare it. Raises CatalogError, one
    line, for the first rule broken.
    """
    claims, not_checked = tuple(claims), tuple(not_checked)
    declared = _check_scope_keys(scope_keys)
    own = {claim_id: _check_scope_keys(keys) for claim_id, keys in (claim_scope_keys or {}).items()}
    every = _union_of_declared(declared, own)
    if not claims:
        raise CatalogError("the catalog holds no claims")
    for claim in claims:
        if not isinstance(claim, Claim):
            raise CatalogError(f"catalog entry {claim!r} is not a claims.engine.records.Claim")
    cited = _cited_documents(claims, documents)
    seen_claims: set[str] = set()
    seen_propositions: set[str] = set()
    for claim in claims:
        try:
            _check_types(claim)
            _check_claim(
                claim, cited, {**declared, **own.get(claim.id, {})}, (homes or {}).get(claim.id)
            )
        except CatalogError as error:
            error.claim = claim  # lets the plugin name the module that defines it
            raise
        if claim.id in seen_claims:
            raise CatalogError(f"duplicate claim id {claim.id!r}")
        seen_claims.add(claim.id)
        for proposition in claim.propositions:
            if proposition.id in seen_propositions:
                raise CatalogError(f"duplicate proposition id {proposition.id!r}")
            seen_propositions.add(proposition.id)
    _check_accounting(claims, cited, not_checked)
    return Registry(claims=claims, not_checked=not_checked, documents=cited, scope_keys=every)


def registry_of(module: Any) -> Registry:
    """The registry of a catalog module: its CATALOG, NOT_CHECKED and declared SCOPE_KEYS, and
    the SCOPE_KEYS each claim's own module declares (the module whose CLAIM it is)."""
    if not hasattr(module, "CATALOG"):
        raise CatalogError(f"catalog module {module.__name__!r} defines no CATALOG")
    claims = tuple(module.CATALOG)
    homes, own = {}, {}
    for claim in claims:
        home = _module_defining(claim)
        if home is None or home is module:
            continue
        homes[getattr(claim, "id", None)] = _file_of(home)
        if "SCOPE_KEYS" in vars(home):
            own[getattr(claim, "id", None)] = vars(home)["SCOPE_KEYS"]
    return build_registry(
        claims,
        not_checked=getattr(module, "NOT_CHECKED", ()),
        scope_keys=getattr(module, "SCOPE_KEYS", None),
        claim_scope_keys=own,
        homes=homes,
    )


def _module_defining(claim: Any) -> Any:
    """The imported module whose CLAIM is this claim object, if any."""
    for module in list(sys.modules.values()):
        if getattr(module, "__dict__", {}).get("CLAIM") is claim:
            return module
    return None


def _file_of(module: Any) -> str:
    """A module's file as a reader finds it: relative to the working folder when under it."""
    file = getattr(module, "__file__", None)
    if not file:
        return module.__name__
    path = Path(file).resolve()
    return path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else str(path)


def _union_of_declared(
    declared: Mapping[str, str], own: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """Every declared scope key, name -> meaning; one name with two meanings is refused."""
    every = dict(declared)
    for claim_id, keys in own.items():
        for key, meaning in keys.items():
            if every.setdefault(key, meaning) != meaning:
                raise CatalogError(
                    f"claim {claim_id!r}: declared scope key {key!r} means {meaning!r} in its "
                    f"module's SCOPE_KEYS but {every[key]!r} elsewhere in the catalog: one key, "
                    "one meaning"
                )
    return every


def _check_scope_keys(scope_keys: Mapping[str, str] | None) -> dict[str, str]:
    """Declared scope keys: lowercase names outside the core set, each with a meaning."""
    if scope_keys is None:
        return {}
    if not isinstance(scope_keys, Mapping):
        raise CatalogError(f"SCOPE_KEYS must map each key to its meaning, got {scope_keys!r}")
    for key, meaning in scope_keys.items():
        if not isinstance(key, str) or not SCOPE_KEY.match(key):
            raise CatalogError(f"declared scope key {key!r} is not a lowercase name like 'device'")
        if key in SCOPE_KEYS:
            raise CatalogError(f"declared scope key {key!r} is a core key already")
        if not isinstance(meaning, str) or not meaning.strip():
            raise CatalogError(f"declared scope key {key!r} needs its meaning, in words")
    return dict(scope_keys)


def _cited_documents(
    claims: tuple[Claim, ...], given: Mapping[str, Document | Mapping[str, str]] | None
) -> dict[str, Document]:
    """The documents the claims quote, in order of first quote, loaded (or taken from `given`)."""
    cited: dict[str, Document] = {}
    for claim in claims:
        for ref in claim.source:
            if not isinstance(ref, SourceRef):
                raise CatalogError(
                    f"claim {claim.id!r}: source entry {ref!r} is not a SourceRef(document, "
                    "sentence, quote)"
                )
            if ref.document in cited:
                continue
            try:
                cited[ref.document] = _document(ref.document, given)
            except SourceError as error:
                raise CatalogError(f"claim {claim.id!r}: {error}") from error
    return cited


def _document(name: str, given: Mapping[str, Document | Mapping[str, str]] | None) -> Document:
    sources.check_name(name)
    if given is None:
        return sources.load(name)
    if name not in given:
        raise SourceError(f"unknown document {name!r}; documents: {', '.join(given) or 'none'}")
    found = given[name]
    if isinstance(found, Document):
        return found
    return Document(name=name, title=name, path=sources.path_of(name), sentences=dict(found))


def _check_types(claim: Claim) -> None:
    """The fields every later rule reads, of the types it reads them as: one line, not a
    TypeError from deep inside a check."""
    where = f"claim {claim.id!r}"
    for name in ("id", "title", "statement"):
        if not isinstance(getattr(claim, name), str):
            raise CatalogError(f"{where}: {name} must be a string, not {getattr(claim, name)!r}")
    for name in ("source", "propositions", "notes", "grids"):
        if not isinstance(getattr(claim, name), tuple):
            raise CatalogError(f"{where}: {name} must be a tuple, not {getattr(claim, name)!r}")
    for proposition in claim.propositions:
        if not isinstance(proposition, Proposition):
            raise CatalogError(
                f"{where}: {proposition!r} is not a claims.engine.records.Proposition"
            )
        at = f"proposition {proposition.id!r}"
        for name in ("id", "statement", "rationale"):
            if not isinstance(getattr(proposition, name), str):
                raise CatalogError(
                    f"{at} of {where}: {name} must be a string, not {getattr(proposition, name)!r}"
                )
        for name in ("scope", "cell"):
            if not isinstance(getattr(proposition, name), Mapping):
                raise CatalogError(
                    f"{at}: {name} must be a mapping (e.g. {{'activation': 'ReLU'}}), "
                    f"not {getattr(proposition, name)!r}"
                )


def _check_claim(
    claim: Claim, documents: Mapping[str, Document], declared: Mapping[str, str], home: str | None
) -> None:
    where = f"claim {claim.id!r}"
    if not CLAIM_ID.match(claim.id):
        raise CatalogError(f"{where}: id is not kebab-case")
    for name in ("title", "statement"):
        if not getattr(claim, name).strip():
            raise CatalogError(f"{where}: empty {name}")
    if not claim.source:
        raise CatalogError(f"{where}: cites no source sentence")
    for ref in claim.source:
        sentences = documents[ref.document].sentences
        if ref.sentence not in sentences:
            raise CatalogError(
                f"{where}: unknown source sentence id {ref.sentence!r} in document {ref.document!r}"
            )
        if not ref.quote or not ref.quote.strip():
            raise CatalogError(f"{where}: missing quote for {ref.key}")
        if ref.quote not in sentences[ref.sentence]:
            raise CatalogError(
                f"{where}: quote {ref.quote!r} is not verbatim in {ref.key}: "
                f"{sentences[ref.sentence]!r}"
            )
        if not sources.full_quote(ref.quote, sentences[ref.sentence]):
            raise CatalogError(
                f"{where}: quote {ref.quote!r} of {ref.key} is not a full word or more: quote "
                "whole words, at least one of two or more letters"
            )
    if not claim.propositions:
        raise CatalogError(f"{where}: has no propositions")
    grids = _check_grids(claim)
    for proposition in claim.propositions:
        _check_proposition(claim, proposition, documents, grids, declared, home)
    asserted = [p for p in claim.propositions if p.role == Role.ASSERTED]
    if not asserted:
        raise CatalogError(
            f"{where}: has no asserted proposition, so nothing it says is checked and no verdict "
            "can rest on it"
        )
    formalized = {pair for p in asserted for pair in claim.formalized(p)}
    for ref in claim.source:
        if (ref.document, ref.sentence) not in formalized:
            shown = _shown(claim, ref.document, ref.sentence)
            raise CatalogError(
                f"{where}: quotes {shown} but no asserted proposition of it formalizes {shown}"
            )
    _check_cells(claim, grids)


def _shown(claim: Claim, document: str, sentence: str) -> str:
    """A sentence as the claim would write it: a bare id when it quotes one document."""
    return sentence if claim.documents == (document,) else sentence_key(document, sentence)


def _check_proposition(
    claim: Claim,
    proposition: Proposition,
    documents: Mapping[str, Document],
    grids: dict[str, Grid],
    declared: Mapping[str, str],
    home: str | None = None,
) -> None:
    where = f"proposition {proposition.id!r}"
    match = PROPOSITION_ID.match(proposition.id)
    if match is None:
        raise CatalogError(f"{where}: id is not '<claim-id>/<name>' in kebab-case")
    if match.group(1) != claim.id:
        raise CatalogError(f"{where}: id does not start with its claim id {claim.id!r}")
    if not proposition.statement.strip():
        raise CatalogError(f"{where}: empty formal statement")
    allowed = (*SCOPE_KEYS, *declared)
    unknown = sorted(set(proposition.scope) - set(allowed))
    if unknown:
        raise CatalogError(
            f"{where}: unknown scope key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)} "
            "; declare a new one, name -> meaning, in SCOPE_KEYS of "
            + (f"{home} (this claim's module) or of " if home else "")
            + "the catalog module (every claim's)"
        )
    for key, value in proposition.scope.items():
        if not _scope_value(value, core=key in SCOPE_KEYS):
            allowed = "a non-empty string" + ("" if key in SCOPE_KEYS else ", a number or a bool")
            raise CatalogError(
                f"{where}: scope {key} = {value!r} ({type(value).__name__}); a value of "
                f"{'core' if key in SCOPE_KEYS else 'declared'} scope key {key!r} is {allowed}"
            )
    aggregation = proposition.scope.get("aggregation")
    if aggregation is not None and aggregation not in AGGREGATIONS:
        raise CatalogError(
            f"{where}: scope aggregation {aggregation!r} is not one of {', '.join(AGGREGATIONS)}"
        )
    if not isinstance(proposition.role, Role):
        raise CatalogError(f"{where}: role {proposition.role!r} is not a Role; allowed: {ROLES}")
    _check_registration(where, proposition)
    if proposition.expected not in EXPECTABLE_FINDINGS:
        hint = (
            "; a design that cannot decide states its minimum detectable effect (power=...) and "
            'buys it, or leaves the catalog (README, "Registration")'
            if proposition.expected == "INCONCLUSIVE"
            else ""
        )
        raise CatalogError(
            f"{where}: expected finding {proposition.expected!r} must be HOLDS or FAILS{hint}"
        )
    if not isinstance(proposition.power, str):
        raise CatalogError(f"{where}: power must be a string (the minimum detectable effect)")
    _check_formalizes(claim, proposition, documents)
    _check_reading(claim, proposition, documents)
    if proposition.key is not None:
        _check_key(where, proposition.key)
    if (proposition.grid is None) != (not proposition.cell):
        raise CatalogError(f"{where}: give both grid and cell (a grid's cell), or neither")
    if proposition.grid is not None and proposition.grid not in grids:
        known = ", ".join(grids) or "none"
        raise CatalogError(
            f"{where}: grid {proposition.grid!r} is not a grid of claim {claim.id!r}; "
            f"its grids: {known}"
        )


def _scope_value(value: object, *, core: bool) -> bool:
    """A value a scope may hold, read as a condition and carried by JSON: a core key's (an
    activation, an optimizer, ...) is a name, a non-empty string; a declared key's may also be
    a finite number or a bool (a torch version, a width, a flag)."""
    if isinstance(value, str):
        return bool(value.strip())
    if core:
        return False
    return isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value))


def _check_formalizes(claim: Claim, proposition: Proposition, documents: Mapping[str, Document]):
    where = f"proposition {proposition.id!r}"
    formalizes = proposition.formalizes
    if isinstance(formalizes, str) or not isinstance(formalizes, tuple):
        raise CatalogError(f"{where}: formalizes must be a tuple of sentence ids, e.g. ('S09',)")
    if proposition.role == Role.LEMMA:
        if formalizes:
            raise CatalogError(
                f"{where}: is a lemma but formalizes {', '.join(formalizes)}; a lemma is not "
                "what the source says (asserted) nor carries it further (beyond)"
            )
        return
    if proposition.role == Role.ASSERTED and not formalizes:
        raise CatalogError(f"{where}: is asserted but formalizes no sentence; name its sentences")
    quoted = {(ref.document, ref.sentence) for ref in claim.source}
    for entry in formalizes:
        if not isinstance(entry, str):
            raise CatalogError(f"{where}: formalizes {entry!r}, not a sentence id like 'S09'")
        try:
            document, sentence = resolve_sentence(claim.documents, entry)
        except ValueError as error:
            raise CatalogError(f"{where}: {error}") from error
        if document not in claim.documents:
            raise CatalogError(
                f"{where}: formalizes {entry}, but its claim {claim.id!r} quotes no sentence of "
                f"document {document!r}"
            )
        if sentence not in documents[document].sentences:
            raise CatalogError(f"{where}: formalizes unknown sentence {entry!r}")
        if (document, sentence) not in quoted:
            raise CatalogError(
                f"{where}: formalizes {entry}, which its claim {claim.id!r} does not quote"
            )


def _check_registration(where: str, proposition: Proposition) -> None:
    """Every proposition says how it was registered; a re-registration is informed by definition."""
    registration = proposition.registration
    if not isinstance(registration, Registration):
        raise CatalogError(
            f"{where}: registration must be blind(known=...) or informed(known=...) from "
            f'claims.engine.records, not {registration!r} (README, "Registration")'
        )
    if not isinstance(registration.provenance, Provenance):
        raise CatalogError(f"{where}: registration provenance must be blind or informed")
    if not isinstance(registration.commit, str) or not (
        registration.commit == "" or COMMIT.match(registration.commit)
    ):
        raise CatalogError(
            f"{where}: registration commit {registration.commit!r} is not a commit hash "
            '(7-40 lowercase hex digits) or ""'
        )
    if not isinstance(registration.known, str) or not registration.known.strip():
        raise CatalogError(
            f"{where}: registration must say what was known when it was registered (known=...)"
        )
    if not isinstance(proposition.reregistered, str):
        raise CatalogError(f"{where}: reregistered must be a note (a string)")
    if proposition.reregistered and not proposition.reregistered.strip():
        raise CatalogError(f"{where}: an empty re-registration note says nothing")
    if proposition.reregistered and registration.provenance is not Provenance.INFORMED:
        raise CatalogError(
            f"{where}: is re-registered after results, so its registration is informed, not "
            f"{registration.provenance.value}"
        )


def _check_reading(claim: Claim, proposition: Proposition, documents: Mapping[str, Document]):
    """An asserted proposition rests on words of a sentence it formalizes, quoted verbatim."""
    where = f"proposition {proposition.id!r}"
    reading = proposition.reading
    if proposition.role != Role.ASSERTED:
        if reading is not None:
            raise CatalogError(
                f"{where}: is {proposition.role.value}; only an asserted proposition carries a "
                "reading (the weakest faithful reading of its sentences)"
            )
        return
    if not isinstance(reading, Reading):
        raise CatalogError(
            f"{where}: is asserted but has no reading=Reading(words=..., why=...): the words of "
            'its sentence it rests on and why no weaker reading would do (README, "Roles and '
            'readings")'
        )
    if not isinstance(reading.why, str) or not reading.why.strip():
        raise CatalogError(f"{where}: its reading must say why it is the weakest faithful one")
    words = reading.words
    if not isinstance(words, str) or not re.search(r"[^\W\d_]{2}", words):
        raise CatalogError(f"{where}: reading words {words!r} hold no word to rest on")
    texts = [
        documents[document].sentences[sentence]
        for document, sentence in claim.formalized(proposition)
    ]
    if not any(_quoted_whole(words, text) for text in texts):
        raise CatalogError(
            f"{where}: reading words {words!r} are not verbatim (whole words) in a sentence it "
            f"formalizes ({', '.join(proposition.formalizes)})"
        )


def _quoted_whole(words: str, text: str) -> bool:
    """``words`` occur in ``text`` verbatim, starting and ending at word boundaries."""
    start = r"\b" if re.match(r"\w", words) else ""
    end = r"\b" if re.search(r"\w$", words) else ""
    return re.search(start + re.escape(words) + end, text) is not None


def _check_key(where: str, key: Key) -> None:
    if not isinstance(key, Key) or not isinstance(key.text, str) or not key.text.strip():
        raise CatalogError(f"{where}: key must be a Key with non-empty text")
    try:
        parts = key.parts()
    except ValueError as error:
        raise CatalogError(f"{where}: key {key.text!r} has a {error}") from error
    placeholders = [part for part in parts if isinstance(part, tuple)]
    if not placeholders:
        raise CatalogError(
            f"{where}: key {key.text!r} names no measurement; add a placeholder like {{name}}"
        )
    for name, spec in placeholders:
        try:
            format(0.0, spec or "")
        except ValueError as error:
            raise CatalogError(
                f"{where}: key placeholder {{{name}:{spec}}} has a bad format spec ({error})"
            ) from error


def _check_grids(claim: Claim) -> dict[str, Grid]:
    grids: dict[str, Grid] = {}
    for grid in claim.grids:
        where = f"claim {claim.id!r}: grid {getattr(grid, 'name', grid)!r}"
        if not isinstance(grid, Grid):
            raise CatalogError(f"{where} is not a claims.engine.records.Grid")
        if not CLAIM_ID.match(grid.name):
            raise CatalogError(f"{where}: name is not kebab-case")
        if grid.name in grids:
            raise CatalogError(f"{where}: two grids of one claim share this name")
        if not grid.statement.strip():
            raise CatalogError(f"{where}: empty statement")
        axes = grid.axes
        if isinstance(axes, str) or not isinstance(axes, tuple) or not axes:
            raise CatalogError(f"{where}: axes must be a non-empty tuple of condition names")
        if len(set(axes)) != len(axes) or not all(isinstance(a, str) and a for a in axes):
            raise CatalogError(f"{where}: axes must be distinct non-empty names")
        grids[grid.name] = grid
    return grids


def _check_cells(claim: Claim, grids: dict[str, Grid]) -> None:
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for proposition in claim.propositions:
        if proposition.grid is None:
            continue
        where = f"proposition {proposition.id!r}"
        axes = grids[proposition.grid].axes
        if set(proposition.cell) != set(axes):
            raise CatalogError(
                f"{where}: cell axes {', '.join(proposition.cell)} differ from grid "
                f"{proposition.grid!r}'s axes {', '.join(axes)}"
            )
        values = tuple(proposition.cell[axis] for axis in axes)
        if not all(isinstance(value, str) and value.strip() for value in values):
            raise CatalogError(f"{where}: every cell value must be a non-empty string")
        other = seen.setdefault((proposition.grid, values), proposition.id)
        if other != proposition.id:
            raise CatalogError(
                f"{where}: grid {proposition.grid!r} cell {dict(proposition.cell)} is already "
                f"{other!r}'s"
            )
    used = {grid for grid, _ in seen}
    for name in grids:
        if name not in used:
            raise CatalogError(f"claim {claim.id!r}: grid {name!r} has no proposition (no cell)")


def _check_accounting(
    claims: tuple[Claim, ...], documents: Mapping[str, Document], not_checked: tuple[Unchecked, ...]
) -> None:
    """Per cited document, every sentence is formalized by an asserted proposition, or not
    checked with a reason (and never both)."""
    formalized: dict[tuple[str, str], str] = {}
    for claim in claims:
        for proposition in claim.propositions:
            if proposition.role != Role.ASSERTED:
                continue  # a beyond proposition carries a sentence further, it does not check it
            for pair in claim.formalized(proposition):
                formalized.setdefault(pair, proposition.id)
    unchecked: set[tuple[str, str]] = set()
    clauses: set[tuple[str, str, str]] = set()
    for entry in not_checked:
        if not isinstance(entry, Unchecked):
            raise CatalogError(
                f"NOT_CHECKED entry {entry!r} is not a claims.engine.records.Unchecked"
            )
        pair = (entry.document, entry.sentence)
        where = f"not-checked sentence {sentence_key(*pair)!r}"
        if entry.document not in documents:
            cited = ", ".join(documents) or "none"
            raise CatalogError(
                f"{where}: document {entry.document!r} is cited by no claim; cited: {cited}"
            )
        if entry.sentence not in documents[entry.document].sentences:
            raise CatalogError(f"{where}: unknown sentence id")
        if not isinstance(entry.reason, str) or not entry.reason.strip():
            raise CatalogError(f"{where}: give the reason it is not checked")
        if not isinstance(entry.clause, str):
            raise CatalogError(f"{where}: clause must be a string (the words left unchecked)")
        if entry.clause:
            text = documents[entry.document].sentences[entry.sentence]
            if not _quoted_whole(entry.clause, text):
                raise CatalogError(
                    f"{where}: clause {entry.clause!r} is not verbatim (whole words) in it"
                )
            if pair not in formalized:
                raise CatalogError(
                    f"{where}: a clause is listed as not checked, but no asserted proposition "
                    "checks the rest of the sentence; list the whole sentence instead"
                )
            if (*pair, entry.clause) in clauses:
                raise CatalogError(f"{where}: clause {entry.clause!r} listed more than once")
            clauses.add((*pair, entry.clause))
            continue
        if pair in unchecked:
            raise CatalogError(f"{where}: listed as not checked more than once")
        if pair in formalized:
            raise CatalogError(
                f"{where}: listed as not checked, yet {formalized[pair]!r} formalizes it"
            )
        unchecked.add(pair)
    for name, document in documents.items():
        for sentence in document.sentences:
            if (name, sentence) not in formalized and (name, sentence) not in unchecked:
                raise CatalogError(
                    f"sentence {sentence_key(name, sentence)} is neither formalized by an "
                    "asserted proposition nor listed as not checked (with a reason)"
                )


def fingerprint(registry: Registry) -> str:
    """A digest of everything the catalog decides (claims, propositions, expectations, keys,
    grids, the sentences and those left unchecked): two reports share it exactly when they were
    judged against the same catalog and source (``claims merge`` refuses shards that differ)."""
    decided = {
        "claims": [asdict(claim) for claim in registry.claims],
        "not_checked": [asdict(entry) for entry in registry.not_checked],
        "documents": {n: dict(d.sentences) for n, d in registry.documents.items()},
        "scope_keys": dict(registry.scope_keys),
    }
    text = json.dumps(decided, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
