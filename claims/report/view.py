"""The presentation model both renderers read: what a report says about a document, a claim, a
grid or a proposition, as words and table layouts, computed from the JSON document alone.

claims.report.markdown and claims.report.html format these for their medium; neither computes
what to say on its own, so the two cannot disagree (README, "Verdict rules").
"""

from __future__ import annotations

import itertools
import json
from typing import Any

INTRO = (
    "Every sentence of each source document is either formalized by asserted propositions that "
    "tests check, or listed as not checked with the reason. Each claim groups the propositions "
    "that check some of its sentences; its verdict follows from their findings by the rules "
    "below, and every finding is compared with the expectation the catalog records for it."
)


def registration_line(document: dict[str, Any]) -> str:
    """How the expectations were registered, counted: never more than the record says."""
    found = document.get("registrations") or {}
    blind, informed = len(found.get("blind", [])), len(found.get("informed", []))
    return (
        f"Of {blind + informed} propositions, {blind} were registered blind (role, expectation "
        f"and thresholds fixed before any result of them or of their design was seen) and "
        f"{informed} informed (fixed or changed knowing results; each says what was known) — "
        "listed under “Registration” below."
    )


SCALES = (
    "Verdicts, by these rules in order (lemmas never decide): REFUTED — an asserted proposition "
    "fails as stated · NOT_RUN — an asserted or beyond proposition did not run in this session "
    "(or its committed evidence is missing or stale) · "
    "INCONCLUSIVE — one errored, has no test, or its statistics could not decide · QUALIFIED — "
    "every asserted proposition holds as stated, but a beyond proposition fails (the claim does "
    "not carry further) · SUPPORTED — otherwise. A sentence gets the same rules over the "
    "propositions, of every claim, that formalize it (asserted) or carry it further (beyond).",
    "Roles: asserted — the weakest faithful reading of the quoted sentences (what later "
    "sentences rely on), in the scope they state or clearly imply, with the words it rests on · "
    "lemma — a fact the checks rely on that the source does not assert (exact constants, "
    "certified thresholds, conventions), reported as context · beyond — the claim carried past "
    "what the source asserts, to find where it stops holding.",
    "Findings: HOLDS · FAILS (with its counterexample) · ERROR (never a pass) · INCONCLUSIVE "
    "(statistics could not decide) · NOT_RUN (not selected in this run, or its committed "
    "evidence, the chat model's deep tier, is missing or stale: it decides nothing) · UNTESTED "
    "(no test). "
    "Each is shown against its pre-registered expectation: “FAILS, as expected”, or "
    "“⚠ HOLDS — expected FAILS” where they differ.",
    "Strength, strongest first: proved symbolically > certified bound > deterministic (by "
    "construction or exhaustive: exact on a named finite set, no sampling, no interval) > "
    "property-tested on N cases > statistical with CI > measured; a proposition that fails counts its strongest "
    "failing test (one counterexample suffices), any other its weakest test. SUPPORTED shows the "
    "weakest over the asserted propositions; QUALIFIED, over the asserted and the failing beyond "
    "ones; REFUTED, the strongest failing asserted proposition.",
)


ROLE_GROUPS = (
    ("asserted", "Asserted: what the source says"),
    ("beyond", "Beyond: the claim carried further"),
    ("lemma", "Lemmas: context the checks rely on (never decide)"),
)


GRID_LEGEND = (
    "Each cell: finding (role); ✓ as expected, ⚠ differs from the expected finding, "
    "· not decided in this run; — no proposition for that combination."
)


def expectation(item: dict[str, Any]) -> tuple[str, bool]:
    """'FAILS, as expected' or 'HOLDS — expected FAILS' (flagged: True) for a proposition or cell."""
    finding, expected, matches = item["finding"], item["expected"], item["matches_expectation"]
    if matches:
        return f"{finding}, as expected", False
    if matches is None:
        return f"{finding} (expected {expected})", False
    return f"{finding} — expected {expected}", True


def cell_mark(item: dict[str, Any]) -> str:
    return {True: "✓", False: "⚠", None: "·"}[item["matches_expectation"]]


def grid_layout(grid: dict[str, Any]) -> dict[str, Any]:
    """Rows: the first axis's values; columns: the combinations of the others that occur."""
    axes, values = grid["axes"], grid["values"]
    by_cell = {tuple(c["cell"][axis] for axis in axes): c for c in grid["cells"]}
    combinations = [
        combination
        for combination in itertools.product(*(values[axis] for axis in axes[1:]))
        if any(key[1:] == combination for key in by_cell)
    ]
    return {
        "corner": axes[0] + (f" ╲ {' · '.join(axes[1:])}" if axes[1:] else ""),
        # One axis: a single column of findings.
        "columns": [" · ".join(c) or "finding" for c in combinations],
        "rows": [
            (row, [by_cell.get((row, *combination)) for combination in combinations])
            for row in values[axes[0]]
        ],
    }


def survives_shown(claim: dict[str, Any]) -> bool:
    """'What survives' is shown for a refuted claim, and wherever something asserted fails."""
    survives = claim["survives"]
    grid_fails = any(grid["fails"] for grid in survives["grids"].values())
    return claim["verdict"] == "REFUTED" or bool(survives["fails"]) or grid_fails


def grid_members(claim: dict[str, Any], grid: dict[str, Any]) -> list[dict[str, Any]]:
    """The propositions that are the grid's cells, in the grid's cell order."""
    by_id = {p["id"]: p for p in claim["propositions"]}
    return [by_id[cell["proposition"]] for cell in grid["cells"]]


def outside_grids(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """The claim's propositions that no grid shows (the role tables list these)."""
    return [p for p in claim["propositions"] if not p.get("grid")]


def common_scope(propositions: list[dict[str, Any]]) -> list[str]:
    """'key: value' for each scope entry every one of the propositions shares."""
    first = propositions[0]["scope"]
    return [
        f"{key}: {value}"
        for key, value in first.items()
        if all(p["scope"].get(key) == value for p in propositions)
    ]


def distinct_statements(propositions: list[dict[str, Any]]) -> bool:
    return len({p["statement"] for p in propositions}) > 1


def table_groups(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """The claim's tables, tables of one shape (same columns and digits) merged into one whose
    first column names the table each row came from: one table per kind, not one per cell."""
    groups: dict[tuple, list[tuple[str, dict[str, Any]]]] = {}
    for name, table in unique_tables(claim):
        shape = (tuple(table["columns"]), table.get("digits", 10))
        groups.setdefault(shape, []).append((name, table))
    merged = []
    for (columns, digits), tables in groups.items():
        if len(tables) == 1:
            name, table = tables[0]
            merged.append(
                {"name": name, "columns": list(columns), "rows": table["rows"], "digits": digits}
            )
            continue
        names = [name for name, _ in tables]
        merged.append(
            {
                "name": _shared_name(names, len(tables)),
                "columns": ["table", *columns],
                "rows": [[name, *row] for name, table in tables for row in table["rows"]],
                "digits": digits,
            }
        )
    return merged


def _shared_name(names: list[str], count: int) -> str:
    prefix = ""
    for letters in zip(*names, strict=False):
        if len(set(letters)) > 1:
            break
        prefix += letters[0]
    prefix = prefix.rstrip(" -:·/")
    return f"{prefix} ({count} tables)" if len(prefix) >= 8 else f"{count} tables of one shape"


def unique_tables(claim: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The claim's tables; one that two tests record with the same name and content, once."""
    seen: set[str] = set()
    tables = []
    for proposition in claim["propositions"]:
        for evidence in proposition["evidence"]:
            for name, table in evidence.get("tables", {}).items():
                fingerprint = json.dumps([name, table], sort_keys=True)
                if fingerprint not in seen:
                    seen.add(fingerprint)
                    tables.append((name, table))
    return tables


def evidence_text(proposition: dict[str, Any]) -> str:
    kinds = sorted({e["kind"] for e in proposition["evidence"]})
    examples = [e["examples"] for e in proposition["evidence"] if e["examples"] is not None]
    return ", ".join(kinds) + (f" ({min(examples)} cases)" if examples else "")


def source_line(source: dict[str, Any]) -> str:
    """'`name`: title (`path`)', how the report names a source document."""
    return f"`{source['name']}`: {source['title']} (`{source['path']}`)"


def quote_source(ref: dict[str, Any]) -> str:
    """'S09' beside a quote, with its document: 'S09 (gradient-hacking)'."""
    return f"{ref['sentence']} ({ref['document']})"


def registered(proposition: dict[str, Any]) -> str:
    """'blind (42fb02f)' or 'informed (42fb02f)': how the proposition was registered."""
    registration = proposition.get("registration")
    if not registration:
        return "—"
    commit = registration.get("commit")
    return registration["provenance"] + (f" ({commit})" if commit else "")


def reading_text(proposition: dict[str, Any]) -> str:
    """'reads “words”: why' for an asserted proposition; '' otherwise."""
    reading = proposition.get("reading")
    return f"reads “{reading['words']}”: {reading['why']}" if reading else ""


def grid_readings(members: list[dict[str, Any]]) -> list[str]:
    """The distinct readings of a grid's asserted cells, each once."""
    return list(dict.fromkeys(reading_text(p) for p in members if reading_text(p)))


# The depth and stability checks (claims.report.stability) beside a report.
TITLES = {
    "depth": "How deep the search is",
    "stability": "Seed stability",
}


def check_summary(check: dict[str, Any]) -> dict[str, Any]:
    """What a renderer shows of one check: a title, one sentence, and a row per run."""
    reference = {p: entry["reference"] for p, entry in check["propositions"].items()}
    rows = []
    for run in check["runs"]:
        moved = [
            f"{p}: {found} (report: {reference.get(p)})"
            for p, found in run["findings"].items()
            if reference.get(p) is not None and found != reference[p]
        ]
        rows.append(
            {
                "run": run["label"],
                "examples": run["max_examples"],
                "propositions": len(run["findings"]),
                "moved": moved,
            }
        )
    unstable = check["unstable"]
    state = check.get("freshness") or {"fresh": False, "reason": "its freshness was not judged"}
    said = (
        f"{len(check['runs'])} runs of the Hypothesis-driven claim tests at commit "
        f"{check['git_commit']}, compared with the report of commit {check['reference_commit']}: "
        + (
            "no finding changed."
            if not unstable
            else f"{len(unstable)} proposition(s) unstable: " + ", ".join(unstable) + "."
        )
        + (
            " Fresh: every file these runs depended on is unchanged since."
            if state["fresh"]
            else f" STALE — {state['reason']}; what it found is shown, not relied on (re-run "
            "`make " + check["name"] + "`)."
        )
    )
    return {"title": TITLES.get(check["name"], check["name"]), "said": said, "rows": rows}
