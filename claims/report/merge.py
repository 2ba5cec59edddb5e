"""Merge shard reports (``pytest --claims-shard i/N``) into one report.

Each shard's JSON carries its evidence and, in ``run``, the claim tests it collected and the ones
it selected. The merge unions the evidence and recomputes findings and verdicts with the same
rules as a single run (claims.engine.verdicts). The result is complete -- and may then say UNTESTED --
only when shards 1..N of one N are all present, each collected every claim folder, and together
they ran every collected claim test; otherwise unselected propositions stay NOT_RUN.

Shards must belong together: judged against this checkout's catalog (the fingerprint each report
records), at one git commit, under one Hypothesis profile and seed, with the same package
versions and test groups; anything else is refused with one line naming the difference, never
labelled with the first shard's provenance. And each shard must be what it says: its shard
field the one its command ran, its tests the slice the sharding rule gives it
(``check_slice``), its evidence only for tests it ran.
"""

from __future__ import annotations

import secrets
import shlex
from pathlib import Path
from typing import Any

from claims.engine import sharding, verdicts
from claims.engine.evidence import Evidence
from claims.engine.registry import Registry, fingerprint
from claims.report.document import (
    FIGURES,
    SCHEMA_VERSION,
    ReportError,
    figure_file,
    to_document,
)

# What every shard of one merge must agree on (run block key -> what it is, for the message).
MUST_AGREE = {
    "groups": "test groups (claims_groups)",
    "git_commit": "git commit",
    "hypothesis_profile": "Hypothesis profile",
    "hypothesis_seed": "Hypothesis seed",
    "versions": "package versions",
    "python": "Python version",
}


def merge(
    documents: list[dict[str, Any]],
    registry: Registry,
    names: list[str] | None = None,
) -> dict[str, Any]:
    """One report from shard reports, judged against ``registry`` (the checkout's catalog, which
    every shard must have been judged against); ``names`` say which shard is which in errors."""
    if not documents:
        raise ReportError("nothing to merge")
    names = names or [f"shard {i + 1}" for i in range(len(documents))]
    for document, name in zip(documents, names, strict=True):
        if document.get("schema_version") != SCHEMA_VERSION:
            raise ReportError(f"{name}: not a claims report of schema version {SCHEMA_VERSION}")
    belong_together(documents, names, fingerprint(registry))
    for document, name in zip(documents, names, strict=True):
        check_slice(document, name)
    collected: dict[str, str] = {}
    selected: set[str] = set()
    evidence: dict[str, Evidence] = {}
    for document in documents:
        run = document["run"]
        collected.update(run.get("collected_tests", {}))
        selected.update(run.get("selected_tests", []))
        for found in _evidence(document):
            if found.test in evidence and evidence[found.test] != found:
                raise ReportError(f"two shards report {found.test} differently")
            evidence[found.test] = found
    complete = _shards_complete(documents) and selected == set(collected) <= set(evidence)
    # The same judging as a single run (claims.engine.verdicts.judge).
    judged = verdicts.judge(registry, evidence.values(), collected, complete=complete)
    if judged.problems:
        raise ReportError(f"cannot merge: {judged.problems[0]}")
    run = _provenance(documents, complete)
    run["catalog"] = fingerprint(registry)
    run["figures"] = figure_digests(documents, names)
    return to_document(list(judged.results), run, registry)


def belong_together(documents: list[dict[str, Any]], names: list[str], catalog: str) -> None:
    """Refuse shards judged against another catalog, or run at another commit, profile, seed
    or with other package versions than the first: one line naming the difference."""
    for document, name in zip(documents, names, strict=True):
        recorded = document["run"].get("catalog")
        if recorded is None:
            raise ReportError(
                f"cannot merge: {name} records no catalog fingerprint (written before shards "
                "were checked); re-run the shard here"
            )
        if recorded != catalog:
            raise ReportError(
                f"cannot merge: {name} was judged against another catalog ({recorded[:12]}) "
                f"than this checkout's ({catalog[:12]}); re-run the shard here"
            )
    first, head = documents[0]["run"], names[0]
    for document, name in zip(documents[1:], names[1:], strict=True):
        for key, what in MUST_AGREE.items():
            if document["run"].get(key) != first.get(key):
                raise ReportError(
                    f"cannot merge: {name} ran with {what} {_said(document['run'].get(key))}, "
                    f"{head} with {_said(first.get(key))}; shards must run alike"
                )


def check_slice(document: dict[str, Any], name: str) -> None:
    """Refuse a shard whose shard field, command and tests disagree: its ``run.shard`` must be
    the ``--claims-shard`` its command ran, its selected tests must lie in the slice the
    sharding rule (claims.engine.sharding, with the groups it recorded) gives that shard of its
    collected tests, and its evidence may name only tests it selected. A shard 1/2 relabelled
    1/1 and filled with evidence copied from shard 2 would otherwise merge as a full run."""
    run = document["run"]
    spec, ran = run.get("shard"), _command_shard(run.get("command"), name)
    if spec != ran:
        raise ReportError(
            f"cannot merge: {name} says it is shard {spec or 'none (a whole run)'}, but its "
            f"command ran {f'--claims-shard {ran}' if ran else 'no shard'}"
        )
    if spec is not None and not ("collected_tests" in run and "selected_tests" in run):
        raise ReportError(f"cannot merge: {name} is shard {spec} but records no tests it ran")
    if "selected_tests" not in run:
        return  # a merged report, or one written before runs recorded their tests
    collected = run.get("collected_tests") or {}
    selected = set(run.get("selected_tests") or [])
    found = {item.test for item in _evidence(document)}
    if stray := sorted(found - selected):
        raise ReportError(
            f"cannot merge: {name} holds evidence for {stray[0]}, a test it did not select "
            f"({len(stray)} such)"
        )
    if spec is None:
        return
    try:
        index, count = sharding.parse_shard(spec)
    except ValueError as error:
        raise ReportError(f"cannot merge: {name}: {error}") from error
    groups = run.get("groups") or {}
    expected = sharding.shard_slice(collected, index, count, groups)
    if outside := sorted(selected - expected):
        raise ReportError(
            f"cannot merge: {name} ran {outside[0]}, which is not in shard {spec}'s slice of "
            f"the tests it collected ({len(outside)} such)"
        )


def _command_shard(command: Any, name: str) -> str | None:
    """The --claims-shard value a recorded command line ran, or None."""
    try:
        words = shlex.split(command or "")
    except ValueError as error:
        raise ReportError(f"cannot merge: {name}: its command is not a command line") from error
    found = None
    for position, word in enumerate(words):
        if word == "--claims-shard":
            found = words[position + 1] if position + 1 < len(words) else None
        elif word.startswith("--claims-shard="):
            found = word.split("=", 1)[1]
    return found


def _said(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in sorted(value.items())) or "none"
    return repr(value)


def figure_digests(documents: list[dict[str, Any]], names: list[str]) -> dict[str, str]:
    """{name: sha256} over the shards; one name with two different figures is refused."""
    digests: dict[str, tuple[str, str]] = {}
    for document, name in zip(documents, names, strict=True):
        for figure, digest in (document["run"].get("figures") or {}).items():
            if figure in digests and digests[figure][0] != digest:
                raise ReportError(
                    f"cannot merge: figure {figure!r} differs between {digests[figure][1]} and "
                    f"{name}"
                )
            digests.setdefault(figure, (digest, name))
    return {figure: digest for figure, (digest, _) in sorted(digests.items())}


def figure_sources(documents: list[dict[str, Any]], paths: list[Path]) -> dict[str, Path]:
    """Where each figure of the merged report comes from: the shard folder that recorded it.

    Each shard's figures were checked against its digests when it was loaded; the merged
    report embeds them the same way any report does (claims.report.html: as images).
    """
    sources: dict[str, Path] = {}
    for document, path in zip(documents, paths, strict=True):
        for figure in sorted(document["run"].get("figures") or {}):
            sources.setdefault(figure, figure_file(Path(path).parent / FIGURES, figure))
    return sources


def _shards_complete(documents: list[dict[str, Any]]) -> bool:
    specs = [document["run"].get("shard") for document in documents]
    if None in specs or not all(document["run"].get("full_collection") for document in documents):
        return False
    pairs = {tuple(int(part) for part in spec.split("/")) for spec in specs}
    counts = {count for _, count in pairs}
    return len(counts) == 1 and {index for index, _ in pairs} == set(range(1, counts.pop() + 1))


def _evidence(document: dict[str, Any]) -> list[Evidence]:
    return [
        Evidence.from_report(item, proposition["id"])
        for claim in document["claims"]
        for proposition in claim["propositions"]
        for item in proposition["evidence"]
    ]


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
        "id": secrets.token_hex(8),
        "python": first.get("python"),
    }
