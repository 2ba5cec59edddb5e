"""Render reports/claims.md from the JSON document alone."""

from __future__ import annotations

from typing import Any

SCALES = (
    "Verdicts: SUPPORTED (every core proposition holds and no boundary fails) · QUALIFIED (core "
    "propositions hold, but only within their stated scope: a boundary proposition fails) · "
    "REFUTED (a core proposition fails) · INCONCLUSIVE (a proposition errored, has no test, or "
    "its statistics could not decide) · "
    "NOT_RUN. Strength, strongest first: proved symbolically > certified bound > property-tested "
    "on N cases > statistical with CI > measured; a claim shows the weakest kind it relied on."
)


def number(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def headline_text(headline: dict[str, Any] | None) -> str:
    if not headline:
        return "—"
    unit = f" {headline['unit']}" if headline.get("unit") and headline["unit"] != "count" else ""
    return f"{headline['label']}: {number(headline['value'])}{unit}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def render(document: dict[str, Any]) -> str:
    run = document["run"]
    lines = [
        "# Claims report",
        "",
        f"Source: {run.get('source', 'claims/data')}. Generated from a "
        f"{'full' if run.get('complete') else 'PARTIAL'} run of the claim tests "
        f"(profile `{run.get('hypothesis_profile')}`, commit `{run.get('git_commit')}`); "
        "regenerate with `make report`.",
        "",
        SCALES,
        "",
        "| Claim | Verdict | Strength | Key number |",
        "|---|---|---|---|",
    ]
    for claim in document["claims"]:
        lines.append(
            f"| [{claim['id']}](#{claim['id']}) | **{claim['verdict']}** | "
            f"{_cell(claim['strength'] or '—')} | {_cell(headline_text(claim['headline']))} |"
        )
    for claim in document["claims"]:
        lines += ["", *_claim_section(claim)]
    lines += ["", *_run_section(run)]
    return "\n".join(lines) + "\n"


def _claim_section(claim: dict[str, Any]) -> list[str]:
    lines = [
        f'<a id="{claim["id"]}"></a>',
        f"## {claim['title']} (`{claim['id']}`)",
        "",
        f"**{claim['verdict']}** — {claim['verdict_reason']}. Strength: {claim['strength'] or '—'}.",
        "",
    ]
    lines += [f"> **{ref['sentence']}** “{ref['quote']}”" for ref in claim["source"]]
    lines += ["", f"**Statement.** {claim['statement']}", ""]
    lines += [f"- {note}" for note in claim["notes"]]
    lines += [
        "",
        "| Proposition | Role | Statement | Scope | Expected | Finding | Evidence | Key measurements |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for proposition in claim["propositions"]:
        lines.append(_proposition_row(proposition))
    tables = [
        (name, table)
        for p in claim["propositions"]
        for e in p["evidence"]
        for name, table in e.get("tables", {}).items()
    ]
    for name, table in tables:
        columns = table["columns"]
        header = "| " + " | ".join(_cell(c) for c in columns) + " |"
        lines += ["", f"**{_cell(name)}**", "", header, "|" + "---|" * len(columns)]
        # Tables carry constants and brackets: show enough digits to see both ends.
        lines += [
            "| " + " | ".join(_cell(number(c, 10)) for c in row) + " |" for row in table["rows"]
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


def _proposition_row(proposition: dict[str, Any]) -> str:
    scope = "; ".join(f"{k}: {v}" for k, v in proposition["scope"].items())
    finding = proposition["finding"]
    if finding != proposition["expected"]:
        finding += " (differs from expected)"
    kinds = sorted({e["kind"] for e in proposition["evidence"]})
    examples = [e["examples"] for e in proposition["evidence"] if e["examples"] is not None]
    evidence = ", ".join(kinds) + (f" ({min(examples)} cases)" if examples else "")
    measured = [
        f"{name} = {number(value)}"
        + (f" {e['units'][name]}" if e["units"].get(name, "count") != "count" else "")
        for e in proposition["evidence"]
        for name, value in e["measurements"].items()
    ]
    return (
        f"| `{proposition['id'].split('/', 1)[1]}` | {proposition['role']} | "
        f"{_cell(proposition['statement'])} | {_cell(scope)} | {proposition['expected']} | "
        f"**{finding}** | {_cell(evidence or '—')} | {_cell('<br>'.join(measured) or '—')} |"
    )


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
