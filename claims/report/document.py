"""The JSON report: the one artefact every renderer reads (schema below, version SCHEMA_VERSION).

Everything outside the ``run`` block is a function of the catalog, the code and the Hypothesis
seed: lists are sorted or in catalog/source order, there are no timestamps or durations, so two
runs with the same seed produce the same document outside ``run`` and a diff of the committed
report shows only real changes.

    schema_version  4
    run             provenance: command, commit, versions, profile, seed, timings, shard,
                    source (the paths of the documents cited), ..., id (this report set's
                    run id, which claims.md and claims.html carry too), figures ({name:
                    sha256} of every figure under figures/), catalog (the catalog's
                    fingerprint, claims.engine.registry.fingerprint)
    documents       every document the catalog cites, in order of first citation: {name, title,
                    path, sentences}; sentences, every sentence of it in order: {id, text,
                    checked: false, reason} or {id, text, checked: true, verdict, claims,
                    propositions (asserted), beyond (beyond ones naming it), key, survives
                    (what holds and fails among its asserted readings, in words), unchecked
                    ([{clause, reason}]: clauses of it listed as not checked)}
    registrations   {blind: [ids], informed: [ids]}: how every proposition's role, expectation
                    and thresholds were registered (README, "Registration")
    claims          by id: {id, title, verdict, verdict_reason, strength, key, survives,
                    source: [{document, sentence, quote}], statement, notes, grids, propositions}
      survives      {holds: [ids], fails: [ids], grids: {name: {holds: [cells], fails: [cells]}},
                    text}, over asserted propositions
      grids         [{name, statement, axes, values: {axis: [values]}, cells: [{cell,
                    proposition, role, expected, finding, matches_expectation, key}]}]
      propositions  in the order of the sentences they formalize (Registry.sentence_order):
                    {id, role, formalizes, reading ({words, why} for asserted, else
                    null), registration ({provenance, commit, known}), power (the minimum
                    detectable effect, or null), statement, scope, grid, cell, expected,
                    finding, matches_expectation (null when NOT_RUN), key, rationale,
                    reregistered (the note, or null), evidence}
        evidence    per test: {test, kind, outcome, examples, counterexample, reproduce, error,
                    figures, tables, measurements: {name: value}, units: {name: unit},
                    nonfinite: [names]}; a value is a number, or for a non-finite value a
                    test observed (measurements.observe) the string "nan", "inf" or "-inf",
                    its name then listed in nonfinite

A key is the proposition's decisive number in plain words, its placeholders filled in from the
measurements; null when there is none or the proposition did not run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claims.engine import untrusted
from claims.engine.evidence import FIGURE_NAME, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from claims.engine.records import Proposition, Provenance
from claims.engine.registry import Registry
from claims.engine.verdicts import ClaimResult, PropositionResult
from claims.report.sections import grid_tables, sentence_verdicts, survives

SCHEMA_VERSION = 4
JSON_NAME = "claims.json"
MARKDOWN_NAME = "claims.md"
HTML_NAME = "claims.html"
FIGURES = "figures"
# A run id as the suite writes it (secrets.token_hex(8)); a reader refuses any other, since the
# Markdown and HTML could not carry it (``_CARRIED_ID``).
RUN_ID = re.compile(r"[0-9a-f]{16}")
# How claims.md and claims.html carry their run id (markdown.MARKDOWN_RUN_ID on the Markdown's
# first line; a <meta> in the HTML's head), so a reader can tell one run's set from a mixed one.
_CARRIED_ID = re.compile(
    rf'<!-- claims run ({RUN_ID.pattern}) -->|<meta name="claims-run" content="({RUN_ID.pattern})">'
)
# The largest claims.json the suite writes or reads (docs/integrity.md, "Standard JSON,
# of a stated size"): reports/claims.json is 0.6 MB today, with every claim and the chat model's tables.
MAX_REPORT_BYTES = 8 * 2**20
# Where a carried id must appear: the Markdown's first line, the HTML's head.
_ID_WINDOW = 2048


class ReportError(ValueError):
    """A report file is missing, unreadable or not a claims report of this schema."""


def to_document(
    results: list[ClaimResult], run: dict[str, Any], registry: Registry
) -> dict[str, Any]:
    """The report: run provenance, every sentence of every cited document accounted for, then
    each claim."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run": run,
        "documents": sentence_verdicts(results, registry),
        "registrations": registrations(results),
        "claims": [
            _claim(result, registry.sentence_order(result.claim))
            for result in sorted(results, key=lambda r: r.claim.id)
        ],
    }


def registrations(results: list[ClaimResult]) -> dict[str, list[str]]:
    """Proposition ids by provenance (blind, informed), in catalog order."""
    found: dict[str, list[str]] = {str(kind): [] for kind in Provenance}
    for result in results:
        for r in result.propositions:
            registration = r.proposition.registration
            if registration is not None:
                found[str(registration.provenance)].append(r.proposition.id)
    return found


def _claim(result: ClaimResult, order: Callable[[Proposition], tuple[int, int]]) -> dict[str, Any]:
    claim = result.claim
    return {
        "id": claim.id,
        "title": claim.title,
        "verdict": str(result.verdict),
        "verdict_reason": result.reason,
        "strength": result.strength,
        "key": result.key,
        "survives": survives(result),
        "source": [
            {"document": ref.document, "sentence": ref.sentence, "quote": ref.quote}
            for ref in claim.source
        ],
        "statement": claim.statement,
        "notes": list(claim.notes),
        "grids": grid_tables(result),
        # Every renderer lists them in this order: the order of the sentences they formalize.
        "propositions": [
            _proposition(p) for p in sorted(result.propositions, key=lambda p: order(p.proposition))
        ],
    }


def _proposition(result: PropositionResult) -> dict[str, Any]:
    proposition = result.proposition
    return {
        "id": proposition.id,
        "role": str(proposition.role),
        "formalizes": list(proposition.formalizes),
        "reading": (
            {"words": proposition.reading.words, "why": proposition.reading.why}
            if proposition.reading
            else None
        ),
        "registration": (
            {
                "provenance": str(proposition.registration.provenance),
                "commit": proposition.registration.commit or None,
                "known": proposition.registration.known,
            }
            if proposition.registration
            else None
        ),
        "power": proposition.power or None,
        "statement": proposition.statement,
        "scope": dict(sorted(proposition.scope.items())),
        "grid": proposition.grid,
        "cell": dict(proposition.cell),
        "expected": str(proposition.expected),
        "finding": str(result.finding),
        "matches_expectation": result.matches_expectation,
        "key": result.key,
        "rationale": proposition.rationale,
        "reregistered": proposition.reregistered or None,
        "evidence": [e.to_report() for e in result.evidence],
    }


def dumps(document: dict[str, Any]) -> str:
    """The report's JSON text; ReportError past MAX_REPORT_BYTES (no reader would take it)."""
    # allow_nan=False: a NaN that slipped past the recorder must fail loudly, not become "NaN".
    text = json.dumps(document, indent=2, sort_keys=False, allow_nan=False) + "\n"
    size = len(text.encode("utf-8"))
    if size > MAX_REPORT_BYTES:
        raise ReportError(
            f"the report would be {size:,} bytes, over the limit of {MAX_REPORT_BYTES:,}; "
            "nothing written (record smaller tables)"
        )
    return text


def umask() -> int:
    """This process's file mode creation mask, read without changing it where Linux says it
    (/proc/self/status, "Umask:"), else by setting and restoring it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_beside(path: Path, suffix: str) -> tuple[int, Path]:
    """A new temporary file in ``path``'s folder, for a write that ends in os.replace onto
    ``path``: (open descriptor, its path). tempfile.mkstemp makes it 0600; the file it becomes
    gets the mode any new file gets here, 0666 less the umask (0644 under umask 0022), as
    ``open`` would have given it."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.fchmod(handle, 0o666 & ~umask())
    return handle, Path(temp)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and os.replace, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = temp_beside(path, ".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run_id(document: dict[str, Any]) -> str | None:
    """The id of the run that wrote this report set (None for a report written before ids)."""
    return document.get("run", {}).get("id")


def carried_id(path: Path) -> str | None:
    """The run id a Markdown or HTML report carries (None if it carries none)."""
    with open(path, "rb") as stream:
        head = stream.read(_ID_WINDOW).decode("utf-8", errors="replace")
    match = _CARRIED_ID.search(head)
    return None if match is None else match.group(1) or match.group(2)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_set(path: Path, document: dict[str, Any], *, rewrites: tuple[str, ...] = ()) -> None:
    """Refuse a report set that is not one run's whole: claims.md and claims.html must carry the
    JSON's run id, and every figure the JSON records must be the file it recorded.

    ``rewrites`` names the suffixes a caller is about to rewrite from the JSON, and so does not
    check (``claims render``: (".md", ".html"), which makes such a set whole again).
    """
    expected = run_id(document)
    said = expected or "no run id"
    siblings = [path.with_suffix(s) for s in (".md", ".html") if s not in rewrites]
    for sibling in siblings:
        if not sibling.is_file():
            continue
        try:
            found = carried_id(sibling)
        except OSError as error:
            raise ReportError(f"{sibling}: unreadable beside {path.name}: {error}") from error
        if found != expected:
            raise ReportError(
                f"{path}: mixed report set: {sibling.name} is from run {found or 'without an id'}"
                f", {path.name} from {said} (an interrupted write?); re-run, or `claims render`"
            )
    recorded = document.get("run", {}).get("figures") or {}
    if not isinstance(recorded, dict):
        raise ReportError(f"{path}: run.figures must map figure names to sha256 digests")
    for name, digest in sorted(recorded.items()):
        figure = figure_file(path.parent / FIGURES, name)
        try:
            matches = sha256(figure) == digest
        except OSError:
            matches = False
        if not matches:
            raise ReportError(
                f"{path}: mixed report set: {FIGURES}/{name}.svg is missing or is not the figure "
                f"run {said} recorded; re-run the suite"
            )


def figure_file(folder: Path, name: object) -> Path:
    """``folder/<name>.svg``: the one way every reader and writer names a figure's file.

    ``name`` is read from JSON (a report's evidence and ``run.figures``, the writer's record of
    its figures), so it is untrusted: it must be kebab-case (``FIGURE_NAME``, the rule
    ``measurements.figure`` enforces) and the path must resolve inside ``folder`` (not through
    a symbolic link out of it). ReportError otherwise: a name like ``../../victim`` would make
    the writer delete or write a file outside the report folder.
    """
    if not isinstance(name, str) or not FIGURE_NAME.fullmatch(name):
        raise ReportError(
            f"figure name {name!r} is not kebab-case (lowercase letters and digits joined by "
            f"single dashes): refusing a path outside {FIGURES}/"
        )
    path = Path(folder) / f"{name}.svg"
    if not path.resolve().is_relative_to(Path(folder).resolve()):
        raise ReportError(f"{path}: resolves outside {folder} (a symbolic link); refusing it")
    return path


def evidence_figures(document: dict[str, Any]) -> set[Any]:
    """The figure names a report's evidence lists (KeyError or TypeError if it is malformed)."""
    return {
        name
        for claim in document["claims"]
        for proposition in claim["propositions"]
        for evidence in proposition["evidence"]
        for name in evidence.get("figures", [])
    }


def check_contents(path: Path, document: dict[str, Any]) -> None:
    """What a reader would act on is what the suite could have written: a run id the Markdown
    and HTML can carry (RUN_ID), figures that are files inside ``figures/`` beside the report
    (``figure_file``), tables within MAX_TABLE_ROWS x MAX_TABLE_COLUMNS. One-line ReportError
    naming ``path`` otherwise (a mistyped id would make `claims render` write a set every
    reader then refuses)."""
    said = document["run"].get("id")
    if said is not None and not (isinstance(said, str) and RUN_ID.fullmatch(said)):
        raise ReportError(f"{path}: run id {said!r} is not 16 lowercase hexadecimal digits")
    recorded = document["run"].get("figures") or {}
    if not isinstance(recorded, dict):
        raise ReportError(f"{path}: run.figures must map figure names to sha256 digests")
    try:
        names = evidence_figures(document) | set(recorded)
        tables = [
            (name, table)
            for claim in document["claims"]
            for proposition in claim["propositions"]
            for evidence in proposition["evidence"]
            for name, table in evidence.get("tables", {}).items()
        ]
        for name, table in tables:
            if len(table["rows"]) > MAX_TABLE_ROWS or len(table["columns"]) > MAX_TABLE_COLUMNS:
                raise ReportError(
                    f"{path}: table {name!r} has {len(table['rows'])} rows x "
                    f"{len(table['columns'])} columns, over the limit of {MAX_TABLE_ROWS} x "
                    f"{MAX_TABLE_COLUMNS}"
                )
    except (KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"{path}: malformed report ({type(error).__name__}: {error})") from error
    for name in sorted(names, key=repr):
        try:
            figure_file(path.parent / FIGURES, name)
        except ReportError as error:
            raise ReportError(f"{path}: {error}") from error


def read_json(path: Path, limit: int = MAX_REPORT_BYTES) -> Any:
    """The JSON in the file at ``path``, read as untrusted input (claims.engine.untrusted): a
    regular file of at most ``limit`` bytes, UTF-8, strict JSON. ReportError (one line naming
    the file) otherwise."""
    path = Path(path)
    try:
        return untrusted.loads(untrusted.read_file(path, limit).decode("utf-8"))
    except FileNotFoundError as error:
        raise ReportError(f"{path}: no such report (run `make report`)") from error
    except (OSError, UnicodeDecodeError, untrusted.UntrustedInput) as error:
        said = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ReportError(f"{path}: not a readable JSON report: {said}") from error


def load(path: Path, *, rewrites: tuple[str, ...] = ()) -> dict[str, Any]:
    """Read a JSON report and check that the set beside it is whole (see ``check_set``)."""
    path = Path(path)
    document = read_json(path)
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(f"{path}: not a claims report of schema version {SCHEMA_VERSION}")
    for key in ("run", "documents", "claims"):
        if key not in document:
            raise ReportError(f"{path}: missing {key!r}")
    if not isinstance(document["run"], dict):
        raise ReportError(f"{path}: 'run' is not an object")
    check_contents(path, document)
    check_set(path, document, rewrites=rewrites)
    return document
