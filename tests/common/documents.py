"""Report documents built in memory from the real catalog (``a_document``; ``a_hostile_document``,
whose first claim refutes and carries markup, a counterexample, a table and a figure) or from the
toy claims (``grid_document``, ``two_document_report``), for the report, renderer and reader tests."""

from claims import catalog
from claims.engine.evidence import Evidence
from claims.engine.records import Claim, Finding, Key, SourceRef, Unchecked
from claims.engine.registry import build_registry
from claims.engine.verdicts import evaluate
from claims.report import document
from tests.common.toy_claims import ESSAY, GRID_CLAIM, SENTENCES, asserted, grid_findings, ran

REGISTRY = build_registry(catalog.CATALOG, not_checked=catalog.NOT_CHECKED)
RUN = {"complete": True, "hypothesis_profile": "ci", "git_commit": "abc", "versions": {}}


def a_document(outcome: str | None = "HOLDS") -> dict:
    """Every real proposition tested once; `outcome` None: each finds what the catalog expects."""
    found = [
        Evidence(
            test=f"t::{p.id}",
            proposition=p.id,
            kind="property",
            outcome=outcome or str(p.expected),
            examples=5,
            measurements={
                name: {"value": 1.5, "unit": "s"}
                for name in ("m", *(p.key.measurements if p.key else ()))
            },
        )
        for p in REGISTRY.propositions.values()
    ]
    results = [evaluate(c, found, set(REGISTRY.propositions)) for c in REGISTRY.claims]
    return document.to_document(results, dict(RUN), REGISTRY)


def grid_document() -> dict:
    registry = build_registry(
        [GRID_CLAIM],
        {"doc": SENTENCES},
        not_checked=[Unchecked("doc", s, "framing") for s in ("S02", "S03")],
    )
    results = [ran(GRID_CLAIM, grid_findings(), {"ratio": 0.5})]
    return document.to_document(results, dict(RUN), registry)


def two_document_report() -> dict:
    claim = Claim(
        "both",
        "Both",
        (SourceRef("doc", "S01", "one sentence"), SourceRef("essay", "S02", "second essay")),
        "s",
        (asserted("both", "a", formalizes=("doc:S01", "essay:S02"), key=Key("a = {a}")),),
    )
    registry = build_registry(
        [claim],
        {"doc": SENTENCES, "essay": ESSAY},
        not_checked=[
            Unchecked("doc", "S02", "aside"),
            Unchecked("doc", "S03", "framing"),
            Unchecked("essay", "S01", "preamble"),
        ],
    )
    results = [ran(claim, {"both/a": Finding.HOLDS}, {"a": 1.0})]
    return document.to_document(results, dict(RUN), registry)


HOSTILE = 'a <script>alert(1)</script> & "quoted" <b>bold</b>'
SVG = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
    'height="10"><defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
    '<rect id="r" width="10" height="10" clip-path="url(#c)"/></svg>'
)


def a_hostile_document() -> dict:
    """The real catalog: the first claim's propositions all fail (so it is REFUTED and its
    expected-HOLDS findings differ), the rest all hold; one test left a counterexample,
    a table and a figure."""
    first = REGISTRY.claims[0].propositions[0].id
    failing = {p.id for p in REGISTRY.claims[0].propositions}
    found = [
        Evidence(
            test=f"t::{p}",
            proposition=p,
            kind="property",
            outcome="FAILS" if p in failing else "HOLDS",
            examples=5,
            counterexample=f"x = {HOSTILE}" if p == first else None,
            reproduce="pytest 't::x'" if p == first else None,
            measurements={"m": {"value": 1.5, "unit": "s"}},
            figures=["plot"] if p == first else [],
            tables={"t <i>": {"columns": ["a"], "rows": [[0.25]]}} if p == first else {},
        )
        for p in REGISTRY.propositions
    ]
    results = [evaluate(c, found, set(REGISTRY.propositions)) for c in REGISTRY.claims]
    doc = document.to_document(results, dict(RUN), REGISTRY)
    doc["claims"][0]["statement"] = HOSTILE
    return doc
