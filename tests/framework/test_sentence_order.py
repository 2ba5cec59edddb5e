"""Every table lists a claim's propositions in the order of the sentences they formalize
(claims.engine.registry.Registry.sentence_order): the Markdown, the HTML and the terminal
summary, all read from the JSON document's order."""

from __future__ import annotations

import re

from claims import catalog
from claims.engine.evidence import Evidence
from claims.engine.records import Claim, Finding, Proposition, Reading, Role, SourceRef, blind
from claims.engine.registry import build_registry
from claims.engine.verdicts import evaluate
from claims.report import document, html, markdown, terminal

RUN = {"complete": True, "hypothesis_profile": "ci", "git_commit": "abc", "versions": {}}
SENTENCES = {"S01": "one sentence.", "S02": "another sentence.", "S03": "a third sentence."}


def proposition(name: str, role: Role, formalizes: tuple[str, ...] = ()) -> Proposition:
    return Proposition(
        f"order/{name}",
        "s",
        {},
        role,
        Finding.FAILS if role == Role.BEYOND else Finding.HOLDS,
        formalizes=formalizes,
        reading=Reading("sentence", "the test's reading") if role == Role.ASSERTED else None,
        registration=blind("a test expectation"),
    )


# Declared in an order that is neither alphabetical nor the sentences' order.
CLAIM = Claim(
    "order",
    "Order",
    tuple(SourceRef("doc", s, text.rstrip(".")) for s, text in SENTENCES.items()),
    "s",
    (
        proposition("late", Role.ASSERTED, ("S03",)),
        proposition("twice", Role.ASSERTED, ("S03", "S01")),  # placed by its earliest, S01
        proposition("unplaced", Role.BEYOND),
        proposition("mid", Role.ASSERTED, ("S02",)),
        proposition("also-late", Role.ASSERTED, ("S03",)),  # ties with late: catalog order
        proposition("lemma-b", Role.LEMMA),
        proposition("carries", Role.BEYOND, ("S02",)),
        proposition("lemma-a", Role.LEMMA),
    ),
)
# Per role table, then as the JSON lists them.
ASSERTED = ["twice", "mid", "late", "also-late"]
BEYOND = ["carries", "unplaced"]
LEMMAS = ["lemma-b", "lemma-a"]
IN_ORDER = ["twice", "mid", "carries", "late", "also-late", "unplaced", "lemma-b", "lemma-a"]


def a_report() -> dict:
    """Every proposition finds the opposite of its expectation, so the terminal lists each."""
    registry = build_registry([CLAIM], {"doc": SENTENCES})
    opposite = {Finding.HOLDS: "FAILS", Finding.FAILS: "HOLDS"}
    found = [
        Evidence(f"t::{p.id}", p.id, "property", opposite[p.expected], examples=10)
        for p in CLAIM.propositions
    ]
    results = [evaluate(CLAIM, found, tested={p.id for p in CLAIM.propositions})]
    return document.to_document(results, dict(RUN), registry)


def test_the_document_lists_propositions_in_sentence_order_then_catalog_order():
    [claim] = a_report()["claims"]
    assert [p["id"].split("/")[1] for p in claim["propositions"]] == IN_ORDER


def test_the_markdown_role_tables_list_propositions_in_sentence_order():
    text = markdown.render(a_report())
    tables = {}
    for heading, body in re.findall(r"^### (\w+)[^\n]*\n(.*?)(?=^### |\Z)", text, re.M | re.S):
        tables[heading] = re.findall(r"^\| `([a-z-]+)` \|", body, re.M)
    assert (tables["Asserted"], tables["Beyond"], tables["Lemmas"]) == (ASSERTED, BEYOND, LEMMAS)


def test_the_html_role_tables_list_propositions_in_sentence_order(tmp_path):
    text = html.render(a_report(), tmp_path)
    tables = re.findall(r'<table class="propositions" data-role="(\w+)">(.*?)</table>', text, re.S)
    listed = {role: re.findall(r'<tr id="order/([a-z-]+)"', body) for role, body in tables}
    assert listed == {"asserted": ASSERTED, "beyond": BEYOND, "lemma": LEMMAS}


def test_the_terminal_lists_differing_findings_in_sentence_order():
    lines = terminal.summary_lines(a_report())
    listed = [m[1] for line in lines if (m := re.match(r"  order/([a-z-]+): expected", line))]
    assert listed == IN_ORDER


def test_every_claim_of_the_catalog_lists_its_propositions_by_their_first_sentence():
    registry = build_registry(catalog.CATALOG, not_checked=catalog.NOT_CHECKED)
    found = [Evidence(f"t::{p}", p, "property", "HOLDS", examples=5) for p in registry.propositions]
    results = [evaluate(c, found, set(registry.propositions)) for c in registry.claims]
    doc = document.to_document(results, dict(RUN), registry)
    position = {
        (d["name"], s["id"]): index
        for index, (d, s) in enumerate((d, s) for d in doc["documents"] for s in d["sentences"])
    }
    for claim in doc["claims"]:
        [quoted, *_] = dict.fromkeys(ref["document"] for ref in claim["source"])
        firsts = [
            min(
                (
                    position[tuple(e.rsplit(":", 1)) if ":" in e else (quoted, e)]
                    for e in formalizes
                ),
                default=len(position),
            )
            for formalizes in (p["formalizes"] for p in claim["propositions"])
        ]
        assert firsts == sorted(firsts), claim["id"]
