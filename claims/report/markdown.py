"""Render reports/claims.md from the JSON document alone.

The page opens with the argument sentence by sentence, then the claims; each claim shows its
verdict, what survives, its quotes, its conditions grids and its propositions grouped by role.
The helpers here (numbers, expectation marks, grid layout) are shared with the HTML renderer so
both say the same thing.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

# The Markdown's first line: the id of the run that wrote it (claims.report.document.check_set).
MARKDOWN_RUN_ID = "<!-- claims run {} -->"

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


def number(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


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


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _links(ids: list[str]) -> str:
    return ", ".join(f"[{claim}](#{claim})" for claim in ids) or "—"


def render(document: dict[str, Any], checks: Sequence[dict[str, Any]] = ()) -> str:
    """The Markdown report; ``checks`` are depth/stability check documents shown after the claims."""
    run = document["run"]
    # The run id on the first line (an HTML comment: invisible once rendered) ties this file to
    # its JSON; readers refuse a set whose files carry different ids (report.document.check_set).
    lines = [MARKDOWN_RUN_ID.format(run["id"])] if run.get("id") else []
    lines += [
        "# Claims report",
        "",
        INTRO,
        "",
        registration_line(document),
        "",
        "Sources:",
        "",
        *[f"- {source_line(source)}" for source in document["documents"]],
        "",
        f"Generated from a {'full' if run.get('complete') else 'PARTIAL'} run of the claim tests "
        f"(profile `{run.get('hypothesis_profile')}`, commit `{run.get('git_commit')}`); "
        "regenerate with `make report`.",
        "",
        "## The argument, sentence by sentence",
    ]
    for source in document["documents"]:
        lines += _sentence_table(source)
    lines += [
        "",
        "## Claims",
        "",
        "| Claim | Verdict | Strength | Key number |",
        "|---|---|---|---|",
    ]
    for claim in document["claims"]:
        lines.append(
            f"| [{claim['id']}](#{claim['id']}) | **{claim['verdict']}** | "
            f"{_cell(claim['strength'] or '—')} | {_cell(claim['key'] or '—')} |"
        )
    lines += ["", *[f"- {scale}" for scale in SCALES]]
    for claim in document["claims"]:
        lines += ["", *_claim_section(claim)]
    for check in checks:
        lines += ["", *_check_section(check)]
    lines += ["", *_registration_section(document)]
    lines += ["", *_run_section(run)]
    return "\n".join(lines) + "\n"


def source_line(source: dict[str, Any]) -> str:
    """'`name`: title (`path`)', how the report names a source document."""
    return f"`{source['name']}`: {source['title']} (`{source['path']}`)"


def quote_source(ref: dict[str, Any]) -> str:
    """'S09' beside a quote, with its document: 'S09 (gradient-hacking)'."""
    return f"{ref['sentence']} ({ref['document']})"


def _sentence_table(source: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"### {_cell(source['title'])} (`{source['name']}`)",
        "",
        "| Sentence | Text | Verdict | Decisive number, or why not checked | What holds and "
        "fails | Claims |",
        "|---|---|---|---|---|---|",
    ]
    for sentence in source["sentences"]:
        if sentence["checked"]:
            verdict, said = f"**{sentence['verdict']}**", sentence["key"] or "—"
            survives = sentence.get("survives") or "—"
            survives += "".join(
                f"<br>Not checked: “{part['clause']}” — {part['reason']}"
                for part in sentence.get("unchecked", [])
            )
        else:
            verdict, said, survives = "not checked", sentence["reason"], "—"
        lines.append(
            f"| {sentence['id']} | {_cell(sentence['text'])} | {verdict} | {_cell(said)} | "
            f"{_cell(survives)} | {_links(sentence.get('claims', []))} |"
        )
    return lines


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


def _registration_section(document: dict[str, Any]) -> list[str]:
    by_id = {p["id"]: p for c in document["claims"] for p in c["propositions"]}
    found = document.get("registrations") or {}
    lines = ["## Registration", "", registration_line(document), ""]
    for provenance in ("blind", "informed"):
        ids = found.get(provenance, [])
        if not ids:
            continue
        lines += [f"**{provenance}** ({len(ids)})", "", "| Proposition | Commit | Known |"]
        lines += ["|---|---|---|"]
        for pid in ids:
            registration = by_id[pid]["registration"]
            lines.append(
                f"| `{pid}` | {registration.get('commit') or '—'} | "
                f"{_cell(registration['known'])} |"
            )
        lines.append("")
    return lines


def _check_section(check: dict[str, Any]) -> list[str]:
    from claims.report.stability import summary

    shown = summary(check)
    lines = [f"## {shown['title']}", "", shown["said"], ""]
    lines += ["| Run | Examples per test | Propositions | Findings that differ from the report |"]
    lines += ["|---|---|---|---|"]
    for row in shown["rows"]:
        moved = "<br>".join(_cell(m) for m in row["moved"]) or "none"
        lines.append(f"| {row['run']} | {row['examples']} | {row['propositions']} | {moved} |")
    return lines


def _claim_section(claim: dict[str, Any]) -> list[str]:
    lines = [
        f'<a id="{claim["id"]}"></a>',
        f"## {claim['title']} (`{claim['id']}`)",
        "",
        f"**{claim['verdict']}** — {claim['verdict_reason']}. Strength: {claim['strength'] or '—'}.",
        "",
    ]
    if survives_shown(claim):
        lines += [f"**What survives.** {claim['survives']['text']}", ""]
    lines += [f"> **{quote_source(ref)}** “{ref['quote']}”" for ref in claim["source"]]
    lines += ["", f"**Statement.** {claim['statement']}", ""]
    lines += [f"- {note}" for note in claim["notes"]]
    for grid in claim["grids"]:
        lines += ["", *_grid(grid), "", *_grid_cells(claim, grid)]
    for role, heading in ROLE_GROUPS:
        group = [p for p in outside_grids(claim) if p["role"] == role]
        if group:
            lines += ["", f"### {heading}", "", *_proposition_table(role, group)]
    for table in table_groups(claim):
        columns = table["columns"]
        header = "| " + " | ".join(_cell(c) for c in columns) + " |"
        lines += ["", f"**{_cell(table['name'])}**", "", header, "|" + "---|" * len(columns)]
        lines += [
            "| " + " | ".join(_cell(number(c, table["digits"])) for c in row) + " |"
            for row in table["rows"]
        ]
    figures = sorted(
        {
            name
            for p in claim["propositions"]
            for e in p["evidence"]
            for name in e.get("figures", [])
        }
    )
    if figures:
        lines += ["", *[f"![{name}](figures/{name}.svg)" for name in figures]]
    failures = [
        (p, e)
        for p in claim["propositions"]
        for e in p["evidence"]
        if e["counterexample"] or e["error"]
    ]
    if failures:
        lines += ["", "### Counterexamples and errors", ""]
        for proposition, evidence in failures:
            lines += _failure(proposition, evidence)
    return lines


def _grid(grid: dict[str, Any]) -> list[str]:
    layout = grid_layout(grid)
    lines = [
        f"### Conditions: {grid['name']}",
        "",
        grid["statement"],
        "",
        "| " + " | ".join(_cell(c) for c in [layout["corner"], *layout["columns"]]) + " |",
        "|---|" + "---|" * len(layout["columns"]),
    ]
    for row, cells in layout["rows"]:
        shown = [
            f"{c['finding']} ({c['role']}) {cell_mark(c)}" if c is not None else "—" for c in cells
        ]
        lines.append(f"| {_cell(row)} | " + " | ".join(shown) + " |")
    return lines + ["", GRID_LEGEND]


def _grid_cells(claim: dict[str, Any], grid: dict[str, Any]) -> list[str]:
    """One compact row per cell: its proposition, role, expectation and key number."""
    members = grid_members(claim, grid)
    lines = ["Scope of every cell: " + "; ".join(common_scope(members)) + "."]
    varied = distinct_statements(members)
    columns = ["Cell", "Proposition", "Role · formalizes", *(["Statement"] if varied else [])]
    columns += ["Expected → Finding", "Key number"]
    if not varied:
        lines += ["", f"Statement of every cell: {members[0]['statement']}"]
    for text in grid_readings(members):
        lines += ["", f"Asserted cells: {text}"]
    lines += ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for proposition in members:
        said, flagged = expectation(proposition)
        finding = f"⚠ **{said}**" if flagged else f"**{said}**"
        if proposition.get("reregistered"):
            finding += f"<br>re-registered after results: {proposition['reregistered']}"
        role = proposition["role"] + (
            f" · {', '.join(proposition['formalizes'])}" if proposition["formalizes"] else ""
        )
        role += f"<br>registered {registered(proposition)}"
        cells = [" · ".join(proposition["cell"][axis] for axis in grid["axes"])]
        cells += [f"`{proposition['id'].split('/', 1)[1]}`", role]
        cells += [proposition["statement"]] if varied else []
        cells += [finding, proposition["key"] or "—"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def grid_readings(members: list[dict[str, Any]]) -> list[str]:
    """The distinct readings of a grid's asserted cells, each once."""
    return list(dict.fromkeys(reading_text(p) for p in members if reading_text(p)))


def _proposition_table(role: str, group: list[dict[str, Any]]) -> list[str]:
    asserted = role == "asserted"
    columns = ["Proposition", "Formalizes", "Statement", "Scope"]
    columns += ["Expected → Finding", "Evidence", "Key number"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for proposition in group:
        said, flagged = expectation(proposition)
        finding = f"⚠ **{said}**" if flagged else f"**{said}**"
        scope = "; ".join(f"{k}: {v}" for k, v in proposition["scope"].items())
        cells = [f"`{proposition['id'].split('/', 1)[1]}`"]
        cells += [", ".join(proposition["formalizes"]) or "—"]
        if proposition.get("reregistered"):
            finding += f"<br>re-registered after results: {proposition['reregistered']}"
        finding += f"<br>registered {registered(proposition)}"
        statement = proposition["statement"]
        if asserted and reading_text(proposition):
            statement += f"<br>{reading_text(proposition)}"
        cells += [statement, scope, finding, evidence_text(proposition) or "—"]
        cells += [proposition["key"] or "—"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _failure(proposition: dict[str, Any], evidence: dict[str, Any]) -> list[str]:
    lines = [f"**`{proposition['id']}`** — `{evidence['test']}` ({evidence['outcome']})", ""]
    body = evidence["counterexample"] or evidence["error"]
    lines += ["```", body, "```"]
    if evidence["reproduce"]:
        lines += ["", "Reproduce:", "", "```sh", evidence["reproduce"], "```"]
    return lines + [""]


def _run_section(run: dict[str, Any]) -> list[str]:
    versions = ", ".join(f"{k} {v}" for k, v in run.get("versions", {}).items())
    return [
        "## Run",
        "",
        f"- started {run.get('started')} · {number(run.get('duration_s'))} s · "
        f"workers: {run.get('workers')} · complete: {run.get('complete')}",
        f"- Hypothesis profile `{run.get('hypothesis_profile')}`, seed {run.get('hypothesis_seed')}",
        f"- git commit `{run.get('git_commit')}`",
        f"- {versions}",
        f"- command: `{run.get('command')}`",
    ]
