"""Render reports/claims.html from the JSON document and the figure files it names.

One self-contained page: inline CSS, no network fetches. It says what the Markdown says, through
the same helpers (``markdown.number``, ``expectation``, ``grid_layout``, ``unique_tables``): the
sentence table first, then the claims summary, then each claim. Autoescape is on, and nothing is
inserted unescaped.

Figures cannot run code. Each SVG (``figures_folder/<name>.svg``, a name the document lists) is
embedded as ``<img src="data:image/svg+xml;base64,...">``, never inlined as markup: a browser
draws an SVG used as an image in its static mode -- no script runs, no event handler fires, no
external image, font or stylesheet is fetched (https://www.w3.org/TR/SVG2/conform.html#secure-static-mode,
https://html.spec.whatwg.org/#the-img-element) -- and base64 cannot break out of the attribute.
That is the browser's own rule, not a pattern we match, so there is no markup to slip past it;
the page's Content-Security-Policy (``img-src data:``) forbids any other image source besides.
A figure must parse as XML with an <svg> root and, when the report records its digest, be the
very file the run wrote (else the set is mixed: ReportError).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

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
    grid_readings,
    number,
    outside_grids,
    reading_text,
    registered,
    registration_line,
    survives_shown,
    table_groups,
)

HTML_NAME = report_document.HTML_NAME
VERDICTS = ("SUPPORTED", "QUALIFIED", "REFUTED", "INCONCLUSIVE", "NOT_RUN")
_TEMPLATES = Path(__file__).parent / "templates"
_SVG_ROOT = "{http://www.w3.org/2000/svg}svg"


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
    document: dict[str, Any],
    figures_folder: Path,
    checks: Sequence[dict[str, Any]] = (),
    *,
    figures: Mapping[str, Path] | None = None,
) -> str:
    """The HTML report; ``checks`` are depth/stability check documents shown after the claims.

    Each figure is read from ``figures_folder/<name>.svg``, or from ``figures[name]`` where given
    (``claims merge``: each shard's own folder).
    """
    from claims.report.stability import summary

    run = document["run"]
    digests = run.get("figures") or {}
    where = dict(figures or {})

    def locate(name: str) -> Path:
        if name in where:
            return Path(where[name])
        return report_document.figure_file(figures_folder, name)

    claims = [_claim(claim, locate, digests) for claim in document["claims"]]
    present = sorted({c["verdict"] for c in claims}, key=_verdict_order)
    template = _environment().get_template("claims.html.j2")
    by_id = {p["id"]: p for c in document["claims"] for p in c["propositions"]}
    found = document.get("registrations") or {}
    return template.render(
        intro=markdown.INTRO,
        registration_line=registration_line(document),
        registrations=[
            (provenance, [by_id[pid] for pid in found.get(provenance, [])])
            for provenance in ("blind", "informed")
        ],
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


def _claim(
    claim: dict[str, Any], locate: Callable[[str], Path], digests: dict[str, str]
) -> dict[str, Any]:
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
        "figures": [
            {"name": name, "uri": _figure_uri(locate, name, digests.get(name))} for name in names
        ],
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
        "readings": grid_readings(members),
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
        "registered": registered(proposition),
        "reading_text": reading_text(proposition),
    }


def _figure_uri(locate: Callable[[str], Path], name: str, digest: str | None) -> str | None:
    """figure `name` as a data: URI for an <img>, or None if it is missing or not an SVG;
    ReportError for a name that is no figure file inside figures/ (document.figure_file)."""
    path = locate(name)
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    if digest is not None and (data is None or hashlib.sha256(data).hexdigest() != digest):
        raise report_document.ReportError(
            f"{path}: not the figure the report recorded (a mixed report set); re-run the suite"
        )
    if data is None:
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    if root.tag != _SVG_ROOT:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def build_parser(
    prog: str = "python -m claims.report.html", add_help: bool = True
) -> argparse.ArgumentParser:
    """The command's arguments, also those of ``claims html`` (claims.cli.main)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="(Re)write REPORT_DIR/claims.html from the claims.json and figures there.",
        add_help=add_help,
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("reports"),
        metavar="REPORT_DIR",
        help="the report folder (default: reports)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """(Re)write ``args.folder``/claims.html; 1 with one line when the set cannot be read."""
    folder = args.folder
    from claims.report.publish import write_set
    from claims.report.stability import load_checks

    try:
        document = report_document.load(folder / report_document.JSON_NAME, rewrites=(".html",))
        checks = load_checks(folder)
        text = render(document, folder / report_document.FIGURES, checks)
        write_set(folder, report_document.JSON_NAME, {HTML_NAME: text})
    except report_document.ReportError as error:
        print(f"claims html: error: {error}", file=sys.stderr)
        return 1
    print(folder / HTML_NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
