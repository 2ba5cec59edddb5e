"""Merge shard reports (``pytest --claims-shard i/N``) into one report.

Each shard's JSON carries its evidence and, in ``run``, the claim tests it collected and the ones
it selected. The merge unions the evidence and recomputes findings and verdicts with the same
rules as a single run (claims.engine.verdicts). The result is complete -- and may then say UNTESTED --
only when shards 1..N of one N are all present, each collected every claim folder, and together
they ran every collected claim test; otherwise unselected propositions stay NOT_RUN.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from claims.engine import verdicts
from claims.engine.evidence import Evidence
from claims.engine.registry import Registry, registry_of
from claims.report.document import SCHEMA_VERSION, ReportError, to_document


def merge(documents: list[dict[str, Any]], registry: Registry | None = None) -> dict[str, Any]:
    if not documents:
        raise ReportError("nothing to merge")
    if registry is None:
        from claims import catalog

        registry = registry_of(catalog)
    collected: dict[str, str] = {}
    selected: set[str] = set()
    evidence: dict[str, Evidence] = {}
    for document in documents:
        if document.get("schema_version") != SCHEMA_VERSION:
            raise ReportError(f"a shard is not a claims report of schema version {SCHEMA_VERSION}")
        run = document["run"]
        collected.update(run.get("collected_tests", {}))
        selected.update(run.get("selected_tests", []))
        for found in _evidence(document):
            if found.test in evidence and evidence[found.test] != found:
                raise ReportError(f"two shards report {found.test} differently")
            evidence[found.test] = found
    complete = _shards_complete(documents) and selected == set(collected) <= set(evidence)
    tested = set(collected.values()) if complete else set(registry.propositions)
    results = [verdicts.evaluate(claim, evidence.values(), tested) for claim in registry.claims]
    # As in a single run: a key naming a measurement that no test of its proposition recorded
    # is an error, judged where every collected test of that proposition ran.
    tests: dict[str, set[str]] = {}
    for test, proposition in collected.items():
        tests.setdefault(proposition, set()).add(test)
    whole = {p for p, names in tests.items() if names <= set(evidence)}
    if problems := verdicts.key_problems(results, whole):
        raise ReportError(f"cannot merge: {problems[0]}")
    return to_document(results, _provenance(documents, complete), registry)


def copy_figures(shard_folders: list[Path], target: Path) -> None:
    """Copy each shard's figures/ into target/figures/ (figure names are unique per suite)."""
    for folder in shard_folders:
        for figure in sorted((Path(folder) / "figures").glob("*.svg")):
            (target / "figures").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(figure, target / "figures" / figure.name)


def _shards_complete(documents: list[dict[str, Any]]) -> bool:
    specs = [document["run"].get("shard") for document in documents]
    if None in specs or not all(document["run"].get("full_collection") for document in documents):
        return False
    pairs = {tuple(int(part) for part in spec.split("/")) for spec in specs}
    counts = {count for _, count in pairs}
    return len(counts) == 1 and {index for index, _ in pairs} == set(range(1, counts.pop() + 1))


def _evidence(document: dict[str, Any]) -> list[Evidence]:
    found = []
    for claim in document["claims"]:
        for proposition in claim["propositions"]:
            for item in proposition["evidence"]:
                units, nonfinite = item.get("units", {}), set(item.get("nonfinite", []))
                measured = {
                    n: {"value": v, "unit": units.get(n, ""), "nonfinite": n in nonfinite}
                    for n, v in item["measurements"].items()
                }
                found.append(
                    Evidence(
                        test=item["test"],
                        proposition=proposition["id"],
                        kind=item["kind"],
                        outcome=item["outcome"],
                        examples=item["examples"],
                        counterexample=item["counterexample"],
                        reproduce=item["reproduce"],
                        error=item["error"],
                        measurements=measured,
                        figures=list(item.get("figures", [])),
                        tables=dict(item.get("tables", {})),
                    )
                )
    return found


def _provenance(documents: list[dict[str, Any]], complete: bool) -> dict[str, Any]:
    first = documents[0]["run"]
    return {
        "complete": complete,
        "merged_from": [
            {
                key: d["run"].get(key)
                for key in ("shard", "command", "started", "git_commit", "workers")
            }
            for d in documents
        ],
        "hypothesis_profile": first.get("hypothesis_profile"),
        "hypothesis_seed": first.get("hypothesis_seed"),
        "git_commit": first.get("git_commit"),
        "versions": first.get("versions", {}),
        "source": first.get("source"),
        "duration_s": sum(d["run"].get("duration_s", 0) for d in documents),
        "tests_run": sum(d["run"].get("tests_run", 0) for d in documents),
        "workers": sum(d["run"].get("workers", 1) for d in documents),
        "command": "claims merge",
    }
