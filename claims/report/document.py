"""The JSON report: the one artefact every renderer reads (schema below, version SCHEMA_VERSION).

Everything outside the ``run`` block is a function of the catalog, the code and the Hypothesis
seed: lists are sorted, there are no timestamps or durations, so two runs with the same seed
produce the same ``claims`` section and a diff of the committed report shows only real changes.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from claims.verdicts import ClaimResult

SCHEMA_VERSION = 1
JSON_NAME = "claims.json"
MARKDOWN_NAME = "claims.md"


class ReportError(ValueError):
    """A report file is missing, unreadable or not a claims report of this schema."""


def to_document(results: list[ClaimResult], run: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "run": run,
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
        "headline": _headline(result),
        "source": [{"sentence": ref.sentence, "quote": ref.quote} for ref in claim.source],
        "statement": claim.statement,
        "notes": list(claim.notes),
        "propositions": [
            _proposition(p) for p in sorted(result.propositions, key=lambda p: p.proposition.id)
        ],
    }


def _headline(result: ClaimResult) -> dict[str, Any] | None:
    headline = result.claim.headline
    if headline is None:
        return None
    value, unit = None, ""
    for proposition in result.propositions:
        if proposition.proposition.id != headline.proposition:
            continue
        for evidence in proposition.evidence:
            if headline.measurement in evidence.measurements:
                measured = evidence.measurements[headline.measurement]
                value, unit = measured["value"], measured["unit"]
    return {
        "label": headline.label,
        "proposition": headline.proposition,
        "measurement": headline.measurement,
        "value": value,
        "unit": unit,
    }


def _proposition(result: Any) -> dict[str, Any]:
    proposition = result.proposition
    return {
        "id": proposition.id,
        "role": str(proposition.role),
        "statement": proposition.statement,
        "scope": dict(sorted(proposition.scope.items())),
        "expected": str(proposition.expected),
        "finding": str(result.finding),
        "rationale": proposition.rationale,
        "evidence": [_evidence(e.to_json()) for e in result.evidence],
    }


def _evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    measured = evidence.pop("measurements")
    evidence.pop("proposition")
    evidence["measurements"] = {name: m["value"] for name, m in measured.items()}
    evidence["units"] = {name: m["unit"] for name, m in measured.items()}
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
    for key in ("run", "claims"):
        if key not in document:
            raise ReportError(f"{path}: missing {key!r}")
    return document
