"""The JSON report: the one artefact every renderer reads (schema below, version SCHEMA_VERSION).

Everything outside the ``run`` block is a function of the catalog, the code and the Hypothesis
seed: lists are sorted or in catalog/source order, there are no timestamps or durations, so two
runs with the same seed produce the same document outside ``run`` and a diff of the committed
report shows only real changes.

    schema_version  3
    run             provenance: command, commit, versions, profile, seed, timings, shard,
                    source (the paths of the documents cited), ...
    documents       every document the catalog cites, in order of first citation: {name, title,
                    path, sentences}; sentences, every sentence of it in order: {id, text,
                    checked: false, reason} or {id, text, checked: true, verdict, claims,
                    propositions, key}
    claims          by id: {id, title, verdict, verdict_reason, strength, key, survives,
                    source: [{document, sentence, quote}], statement, notes, grids, propositions}
      survives      {holds: [ids], fails: [ids], grids: {name: {holds: [cells], fails: [cells]}},
                    text}, over asserted propositions
      grids         [{name, statement, axes, values: {axis: [values]}, cells: [{cell,
                    proposition, role, expected, finding, matches_expectation, key}]}]
      propositions  by id: {id, role, formalizes, statement, scope, grid, cell, expected,
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

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from claims.engine.registry import Registry
from claims.engine.verdicts import ClaimResult, PropositionResult, sentence_verdicts

SCHEMA_VERSION = 3
JSON_NAME = "claims.json"
MARKDOWN_NAME = "claims.md"


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
        "claims": [_claim(result) for result in sorted(results, key=lambda r: r.claim.id)],
    }


def _claim(result: ClaimResult) -> dict[str, Any]:
    claim = result.claim
    return {
        "id": claim.id,
        "title": claim.title,
        "verdict": str(result.verdict),
        "verdict_reason": result.reason,
        "strength": result.strength,
        "key": result.key,
        "survives": dict(result.survives),
        "source": [
            {"document": ref.document, "sentence": ref.sentence, "quote": ref.quote}
            for ref in claim.source
        ],
        "statement": claim.statement,
        "notes": list(claim.notes),
        "grids": [dict(grid) for grid in result.grids],
        "propositions": [
            _proposition(p) for p in sorted(result.propositions, key=lambda p: p.proposition.id)
        ],
    }


def _proposition(result: PropositionResult) -> dict[str, Any]:
    proposition = result.proposition
    return {
        "id": proposition.id,
        "role": str(proposition.role),
        "formalizes": list(proposition.formalizes),
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
        "evidence": [_evidence(e.to_json()) for e in result.evidence],
    }


def _evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    measured = evidence.pop("measurements")
    evidence.pop("proposition")
    evidence["measurements"] = {name: m["value"] for name, m in measured.items()}
    evidence["units"] = {name: m["unit"] for name, m in measured.items()}
    evidence["nonfinite"] = [name for name, m in measured.items() if m.get("nonfinite")]
    return evidence


def dumps(document: dict[str, Any]) -> str:
    # allow_nan=False: a NaN that slipped past the recorder must fail loudly, not become "NaN".
    return json.dumps(document, indent=2, sort_keys=False, allow_nan=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and os.replace, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def load(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReportError(f"{path}: no such report (run `make report`)") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{path}: not a readable JSON report: {error}") from error
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(f"{path}: not a claims report of schema version {SCHEMA_VERSION}")
    for key in ("run", "documents", "claims"):
        if key not in document:
            raise ReportError(f"{path}: missing {key!r}")
    return document
