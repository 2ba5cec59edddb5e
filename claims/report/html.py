"""Render reports/claims.html from the JSON document and the figure files it names.

One self-contained page: inline CSS, figures inlined as SVG, no network fetches. It says what
the Markdown says, through the same helpers (``markdown.number``, ``expectation``, ``grid_layout``,
``unique_tables``): the sentence table first, then the claims summary, then each claim.
Autoescape is on; the only markup inserted unescaped is each figure's SVG, read from
``figures_folder/<name>.svg`` for a name the document lists.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from claims.report import document as report_document
from claims.report import markdown
from claims.report.markdown import (
    ROLE_GROUPS,
    cell_mark,
    common_scope,
    distinct_statements,
    evidence_text,
    expectation,
    grid_layout,
    grid_members,
    number,
    outside_grids,
    survives_shown,
    table_groups,
)

HTML_NAME = "claims.html"
VERDICTS = ("SUPPORTED", "QUALIFIED", "REFUTED", "INCONCLUSIVE", "NOT_RUN")
_TEMPLATES = Path(__file__).parent / "templates"
_FIGURE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Markup an SVG written by matplotlib never contains; a figure that has it is not inlined.
_ACTIVE_SVG = re.compile(r"<script|<foreignObject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
_PROLOGUE = re.compile(r"\A.*?(?=<svg[\s>])", re.DOTALL)


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = number
    environment.globals["cell_mark"] = cell_mark
    environment.globals["expectation"] = expectation
    return environment


def render(
    document: dict[str, Any], figures_folder: Path, checks: Sequence[dict[str, Any]] = ()
) -> str:
    """The HTML report; ``checks`` are depth/stability check documents shown after the claims."""
    from claims.report.stability import summary

    claims = [_claim(claim, Path(figures_folder)) for claim in document["claims"]]
    run = document["run"]
    present = sorted({c["verdict"] for c in claims}, key=_verdict_order)
    template = _environment().get_template("claims.html.j2")
    return template.render(
        intro=markdown.INTRO,
        documents=document["documents"],
        claims=claims,
        run=run,
        versions=", ".join(f"{k} {v}" for k, v in run.get("versions", {}).items()),
        scales=markdown.SCALES,
        grid_legend=markdown.GRID_LEGEND,
        verdicts=present,
        checks=[summary(check) for check in checks],
    )


def _verdict_order(verdict: str) -> tuple[int, str]:
    return (VERDICTS.index(verdict) if verdict in VERDICTS else len(VERDICTS), verdict)


def _claim(claim: dict[str, Any], figures_folder: Path) -> dict[str, Any]:
    propositions = claim["propositions"]
    evidence = [(p, e) for p in propositions for e in p["evidence"]]
    names = sorted({name for _, e in evidence for name in e.get("figures", [])})
    outside = outside_grids(claim)
    groups = [
        (role, heading, [_proposition(p) for p in outside if p["role"] == role])
        for role, heading in ROLE_GROUPS
    ]
    return {
        **claim,
        "show_survives": survives_shown(claim),
        "grid_tables": [_grid(claim, grid) for grid in claim["grids"]],
        "groups": [group for group in groups if group[2]],
        "tables": table_groups(claim),
        "figures": [{"name": name, "svg": _inline_svg(figures_folder, name)} for name in names],
        "failures": [(p, e) for p, e in evidence if e["counterexample"] or e["error"]],
    }


def _grid(claim: dict[str, Any], grid: dict[str, Any]) -> dict[str, Any]:
    """The grid's findings table, then one compact row per cell (as markdown._grid_cells)."""
    members = grid_members(claim, grid)
    return {
        **grid,
        "layout": grid_layout(grid),
        "scope": common_scope(members),
        "statement_varies": distinct_statements(members),
        "members": [
            {**_proposition(p), "label": " · ".join(p["cell"][axis] for axis in grid["axes"])}
            for p in members
        ],
    }


def _proposition(proposition: dict[str, Any]) -> dict[str, Any]:
    """The cells of one proposition row, as markdown._proposition_table computes them."""
    said, flagged = expectation(proposition)
    return {
        **proposition,
        "name": proposition["id"].split("/", 1)[-1],
        "scope_items": [f"{k}: {v}" for k, v in proposition["scope"].items()],
        # What follows the finding word: ", as expected" or " — expected FAILS".
        "said_rest": said[len(proposition["finding"]) :],
        "differs": flagged,
        "evidence_text": evidence_text(proposition) or "—",
    }


def _inline_svg(folder: Path, name: str) -> Markup | None:
    """The SVG markup of figure `name`, ids prefixed by the (unique) name: one page, many SVGs."""
    if not _FIGURE_NAME.fullmatch(name):
        return None
    try:
        text = (folder / f"{name}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = _PROLOGUE.sub("", text, count=1).strip()
    if not text.startswith("<svg") or _ACTIVE_SVG.search(text):
        return None
    prefix = f"fig-{name}-"
    text = re.sub(r'(\sid=")', rf"\g<1>{prefix}", text)
    text = re.sub(r'(href=")#', rf"\g<1>#{prefix}", text)
    text = re.sub(r"url\(#", f"url(#{prefix}", text)
    # The one unescaped insertion: a figure file the document names, checked above.
    return Markup(text)


def main(argv: list[str] | None = None) -> int:
    """python -m claims.report.html [REPORT_DIR]: (re)write REPORT_DIR/claims.html."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "reports")
    from claims.report.stability import load_checks

    document = report_document.load(folder / report_document.JSON_NAME)
    checks = load_checks(folder)
    report_document.write_atomic(folder / HTML_NAME, render(document, folder / "figures", checks))
    print(folder / HTML_NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
