"""Render reports/claims.md from the JSON document alone.

The page opens with the argument sentence by sentence, then the claims; each claim shows its
verdict, what survives, its quotes, its conditions grids and its propositions grouped by role.
What it says comes from claims.report.view, which the HTML renderer reads too, so both say the
same thing; numbers are formatted by claims.engine.numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claims.engine.numbers import number
from claims.report.view import (
    GRID_LEGEND,
    INTRO,
    ROLE_GROUPS,
    SCALES,
    cell_mark,
    check_summary,
    common_scope,
    distinct_statements,
    evidence_text,
    expectation,
    grid_layout,
    grid_members,
    grid_readings,
    outside_grids,
    quote_source,
    reading_text,
    registered,
    registration_line,
    source_line,
    survives_shown,
    table_groups,
)

# The Markdown's first line: the id of the run that wrote it (claims.report.document.check_set).
MARKDOWN_RUN_ID = "<!-- claims run {} -->"


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
    shown = check_summary(check)
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
