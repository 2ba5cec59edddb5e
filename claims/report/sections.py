"""The sections of the JSON report computed from a judged run (claims.report.document writes
them): what survives of a claim, its conditions grids as tables, and every cited document
sentence by sentence with its verdict (README, "Verdict rules").

The verdict rules themselves (findings, verdicts, strength, keys) are claims.engine.verdicts;
nothing here decides anything, it says what was decided, from the findings alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claims.engine.records import Claim, Finding, Role
from claims.engine.registry import Registry
from claims.engine.verdicts import (
    ClaimResult,
    PropositionResult,
    sentence_key,
    sentence_verdict,
)


def _cells(results: Iterable[PropositionResult], grid: str) -> list[PropositionResult]:
    return [r for r in results if r.proposition.grid == grid]


def survives(result: ClaimResult) -> dict[str, Any]:
    """Which asserted propositions (and grid cells) hold and which fail, with a sentence saying so."""
    claim, results = result.claim, result.propositions
    asserted = [r for r in results if r.proposition.role == Role.ASSERTED]

    def ids(found: Finding, rows: Iterable[PropositionResult] = asserted) -> list[str]:
        return [r.proposition.id for r in rows if r.finding == found]

    grids: dict[str, dict[str, list[dict[str, str]]]] = {}
    for grid in claim.grids:
        cells = _cells(asserted, grid.name)
        if cells:
            grids[grid.name] = {
                outcome: [_cell(grid.axes, r) for r in cells if r.finding == finding]
                for outcome, finding in (("holds", Finding.HOLDS), ("fails", Finding.FAILS))
            }
    text = survival_text([(claim, r) for r in asserted])
    return {
        "holds": ids(Finding.HOLDS),
        "fails": ids(Finding.FAILS),
        "grids": grids,
        "text": text,
    }


def survival_text(rows: Sequence[tuple[Claim, PropositionResult]]) -> str:
    """One sentence on what holds and what fails among asserted propositions: per conditions
    grid, the cells that hold and fail ("inactive-weights-still holds for ReLU with SGD, Adam;
    GELU with SGD — fails for GELU with Adam"), then the other propositions that hold (and, where
    anything fails, those that fail)."""
    parts: list[str] = []
    by_grid: dict[tuple[str, str], list[PropositionResult]] = {}
    axes: dict[tuple[str, str], tuple[str, ...]] = {}
    for claim, r in rows:
        if r.proposition.grid is not None:
            where = (claim.id, r.proposition.grid)
            by_grid.setdefault(where, []).append(r)
            axes[where] = next(g.axes for g in claim.grids if g.name == r.proposition.grid)
    for where, cells in by_grid.items():
        said = [
            f"{verb} for {_conditions(axes[where], [r for r in cells if r.finding == finding])}"
            for verb, finding in (("holds", Finding.HOLDS), ("fails", Finding.FAILS))
            if any(r.finding == finding for r in cells)
        ]
        if said:
            parts.append(f"{where[1]} " + " — ".join(said))
    plain = [r for _, r in rows if r.proposition.grid is None]
    held = [_short(r) for r in plain if r.finding == Finding.HOLDS]
    failed = [_short(r) for r in plain if r.finding == Finding.FAILS]
    if held:
        parts.append(f"{'Also holds' if parts else 'Holds'}: {', '.join(held)}")
    if failed and (held or parts):
        parts.append(f"fails: {', '.join(failed)}")
    if not any(r.finding == Finding.HOLDS for _, r in rows):
        return "nothing asserted survives"
    return ". ".join(parts)


def _short(result: PropositionResult) -> str:
    return result.proposition.id.split("/", 1)[1]


def _cell(axes: Sequence[str], result: PropositionResult) -> dict[str, str]:
    return {axis: result.proposition.cell[axis] for axis in axes}


def _conditions(axes: Sequence[str], rows: Sequence[PropositionResult]) -> str:
    """'ReLU with SGD, Adam; GELU with SGD': cells grouped by the value of the first axis."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        values = [row.proposition.cell[axis] for axis in axes]
        rest = groups.setdefault(values[0], [])
        if len(values) > 1:
            rest.append(" / ".join(values[1:]))
    return "; ".join(
        first + (f" with {', '.join(rest)}" if rest else "") for first, rest in groups.items()
    )


def grid_tables(result: ClaimResult) -> list[dict[str, Any]]:
    """Each conditions grid: axes, each axis's values in catalog order, and one row per cell."""
    claim, results = result.claim, result.propositions
    tables = []
    for grid in claim.grids:
        cells = _cells(results, grid.name)
        values = {
            axis: list(dict.fromkeys(r.proposition.cell[axis] for r in cells)) for axis in grid.axes
        }
        tables.append(
            {
                "name": grid.name,
                "statement": grid.statement,
                "axes": list(grid.axes),
                "values": values,
                "cells": [
                    {
                        "cell": _cell(grid.axes, r),
                        "proposition": r.proposition.id,
                        "role": str(r.proposition.role),
                        "expected": str(r.proposition.expected),
                        "finding": str(r.finding),
                        "matches_expectation": r.matches_expectation,
                        "key": r.key,
                    }
                    for r in cells
                ],
            }
        )
    return tables


def sentence_verdicts(results: Sequence[ClaimResult], registry: Registry) -> list[dict[str, Any]]:
    """Every cited document, in order of first citation: {name, title, path, sentences}, each
    sentence in document order either not checked (with the reason), or its verdict from the
    asserted (and beyond) propositions of all claims that name it, its decisive number, and what
    survives of it (the cells and propositions of its asserted readings that hold and fail)."""
    reasons = {
        (entry.document, entry.sentence): entry.reason
        for entry in registry.not_checked
        if not entry.clause
    }
    clauses: dict[tuple[str, str], list[dict[str, str]]] = {}
    for entry in registry.not_checked:
        if entry.clause:
            clauses.setdefault((entry.document, entry.sentence), []).append(
                {"clause": entry.clause, "reason": entry.reason}
            )
    naming: dict[tuple[str, str], list[tuple[Claim, PropositionResult]]] = {}
    for claim in results:
        for r in claim.propositions:
            if r.proposition.role in (Role.ASSERTED, Role.BEYOND):
                for pair in dict.fromkeys(claim.claim.formalized(r.proposition)):
                    naming.setdefault(pair, []).append((claim.claim, r))
    tables = []
    for name, document in registry.documents.items():
        accounted = []
        for sentence, text in document.sentences.items():
            if (name, sentence) in reasons:
                reason = reasons[(name, sentence)]
                accounted.append({"id": sentence, "text": text, "checked": False, "reason": reason})
                continue
            pairs = naming.get((name, sentence), [])
            asserted = [(c, r) for c, r in pairs if r.proposition.role == Role.ASSERTED]
            verdict = sentence_verdict((r.proposition.role, r.finding) for _, r in pairs)
            accounted.append(
                {
                    "id": sentence,
                    "text": text,
                    "checked": True,
                    "verdict": str(verdict),
                    "claims": list(dict.fromkeys(c.id for c, _ in pairs)),
                    "propositions": [r.proposition.id for _, r in asserted],
                    "beyond": [r.proposition.id for c, r in pairs if (c, r) not in asserted],
                    "key": sentence_key(verdict, pairs),
                    "survives": survival_text(asserted),
                    "unchecked": clauses.get((name, sentence), []),
                }
            )
        tables.append(
            {"name": name, "title": document.title, "path": document.path, "sentences": accounted}
        )
    return tables
