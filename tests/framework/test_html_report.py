"""The HTML report escapes what it shows, has one row and badge per claim, and says what the
Markdown says (claim ids, verdicts, proposition findings); figures are inlined, never fetched."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claims.report import document, html, markdown
from claims.report.publish import write_report
from tests.common.documents import (
    REGISTRY,
    SVG,
    a_hostile_document,
    grid_document,
    two_document_report,
)


class Tree(HTMLParser):
    """Elements as (tag, attributes, text), with text of nested elements included."""

    VOID = {"br", "input", "meta", "img", "hr", "link"}

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.open: list[tuple[str, dict, list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _, _, text in self.open:
            text.append(data)

    def find(self, tag: str, cls: str = "") -> list[tuple[dict, str]]:
        return [
            (attrs, "".join(text).strip())
            for name, attrs, text in self.elements
            if name == tag and cls in (attrs.get("class") or "").split() + [""]
        ]


def rendered(doc: dict, figures: Path) -> tuple[str, Tree]:
    text = html.render(doc, figures)
    return text, Tree(text)


def test_text_from_the_document_is_escaped(tmp_path):
    text, tree = rendered(a_hostile_document(), tmp_path)
    assert "<script>alert" not in text and "<b>bold</b>" not in text
    assert "a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;" in text
    assert len(tree.find("script")) == 1  # the verdict filter, and nothing else
    assert "t &lt;i&gt;" in text  # a table name


def test_one_summary_row_and_one_badge_per_claim_saying_its_verdict(tmp_path):
    doc = a_hostile_document()
    _, tree = rendered(doc, tmp_path)
    rows = tree.find("tr", "claim-row")
    assert [attrs["data-claim"] for attrs, _ in rows] == [c["id"] for c in doc["claims"]]
    badges = [text for _, text in tree.find("span", "badge")]
    verdicts = [c["verdict"] for c in doc["claims"]]
    assert "REFUTED" in verdicts and "SUPPORTED" in verdicts
    said = [
        s["verdict"] if s["checked"] else "not checked"
        for d in doc["documents"]
        for s in d["sentences"]
    ]
    # One per sentence, the filter's (one per verdict present), then one in the summary and one
    # per section.
    present = sorted(set(verdicts), key=html.VERDICTS.index)
    assert badges == said + present + verdicts + verdicts
    for attrs, badge in tree.find("span", "badge"):
        expected = "v-unchecked" if badge == "not checked" else f"v-{badge}"
        assert attrs["class"].split() == ["badge", expected]


def test_the_sentence_table_comes_first_with_one_row_per_source_sentence(tmp_path):
    doc = a_hostile_document()
    text, tree = rendered(doc, tmp_path)
    assert text.index('id="sentences"') < text.index('id="summary"') < text.index('class="claim"')
    rows = tree.find("tr", "sentence-row")
    (source,) = doc["documents"]
    assert [attrs["data-sentence"] for attrs, _ in rows] == list(
        REGISTRY.documents["gradient-hacking"].sentences
    )
    assert {attrs["data-document"] for attrs, _ in rows} == {"gradient-hacking"}
    for (_, row), sentence in zip(rows, source["sentences"], strict=True):
        assert sentence["text"] in row
        said = sentence["verdict"] if sentence["checked"] else sentence["reason"]
        assert said in row


def test_a_grid_is_a_table_with_cells_coloured_by_finding_and_role(tmp_path):
    _, tree = rendered(grid_document(), tmp_path)
    cells = tree.find("td", "gc")
    assert [text for _, text in cells][:3] == ["HOLDS (asserted) ✓"] * 3
    failing = [attrs["class"].split() for attrs, text in cells if text.startswith("FAILS")]
    assert failing == [["gc", "f-FAILS", "r-asserted", "differs"]] * 2
    assert len(tree.find("div", "survives")) == 1


def html_findings(tree: Tree) -> set[tuple[str, str, bool]]:
    """(proposition id, finding, marked as differing from expected) per proposition row."""
    return {
        (attrs["id"], finding, "differs" in attrs["class"].split())
        for (attrs, _), (_, finding) in zip(
            tree.find("tr", "proposition"), tree.find("span", "finding"), strict=True
        )
    }


def markdown_findings(text: str) -> tuple[list[tuple[str, str]], set[tuple[str, str, bool]]]:
    summary = re.findall(r"^\| \[([^\]]+)\]\(#[^)]+\) \| \*\*([A-Z_]+)\*\* \|", text, re.M)
    findings, claim = set(), None
    for line in text.splitlines():
        if anchor := re.match(r'<a id="([^"]+)"></a>', line):
            claim = anchor.group(1)
        # A role table's row starts with the proposition; a grid's cell row with the cell first.
        elif row := re.match(
            r"\| (?:[^|`]+ \| )?`([^`]+)` \|.*\| (⚠ )?\*\*([A-Z_]+)[, —(][^*]*\*\*(?:<br>[^|]*)? \|",
            line,
        ):
            findings.add((f"{claim}/{row.group(1)}", row.group(3), bool(row.group(2))))
    return summary, findings


def test_markdown_and_html_list_the_same_claims_verdicts_and_findings(tmp_path):
    doc = a_hostile_document()
    _, tree = rendered(doc, tmp_path)
    md_summary, md_findings = markdown_findings(markdown.render(doc))
    html_summary = [
        (attrs["data-claim"], attrs["data-verdict"]) for attrs, _ in tree.find("tr", "claim-row")
    ]
    expected = [(c["id"], c["verdict"]) for c in doc["claims"]]
    assert md_summary == html_summary == expected
    findings = html_findings(tree)
    assert findings == md_findings
    assert findings == {
        (p["id"], p["finding"], p["matches_expectation"] is False)
        for c in doc["claims"]
        for p in c["propositions"]
    }
    assert any(differs for _, _, differs in findings)


def embedded(tree: Tree) -> dict[str, bytes]:
    """figure name -> the bytes its <img> embeds as a data: URI."""
    found = {}
    for attrs, _ in tree.find("figure", "figure"):
        images = [
            a for a, _ in tree.find("img") if a.get("alt") == f"Figure {attrs['data-figure']}"
        ]
        for image in images:
            prefix, _, data = image["src"].partition(",")
            assert prefix == "data:image/svg+xml;base64"
            found[attrs["data-figure"]] = base64.b64decode(data)
    return found


def test_figures_are_embedded_as_images_never_as_markup(tmp_path):
    (tmp_path / "plot.svg").write_text(SVG)
    text, tree = rendered(a_hostile_document(), tmp_path)
    assert [attrs["data-figure"] for attrs, _ in tree.find("figure", "figure")] == ["plot"]
    assert embedded(tree) == {"plot": SVG.encode()}
    assert not tree.find("svg") and "<clipPath" not in text
    assert not tree.find("p", "missing")


HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(7)"><script>alert(8)</script>'
    '<image href="http://example.invalid/x.png"/></svg>'
)


def test_a_hostile_figure_is_only_ever_an_image(tmp_path):
    # An SVG may hold script, handlers and external references: as an <img> a browser runs and
    # fetches none of them (the browser test proves it); here, none of it reaches the markup.
    (tmp_path / "plot.svg").write_text(HOSTILE_SVG)
    text, tree = rendered(a_hostile_document(), tmp_path)
    assert embedded(tree) == {"plot": HOSTILE_SVG.encode()}
    assert "alert(7)" not in text and "alert(8)" not in text and "example.invalid" not in text
    assert not tree.find("svg")


def test_a_missing_or_non_svg_figure_is_reported_not_embedded_and_an_oddly_named_one_refused(
    tmp_path,
):
    doc = a_hostile_document()
    [evidence] = [
        e for c in doc["claims"] for p in c["propositions"] for e in p["evidence"] if e["figures"]
    ]
    _, tree = rendered(doc, tmp_path)
    assert len(tree.find("p", "missing")) == 1 and not tree.find("img")
    (tmp_path / "plot.svg").write_text("<html><script>alert(2)</script></html>")
    text, tree = rendered(doc, tmp_path)
    assert len(tree.find("p", "missing")) == 1 and "alert(2)" not in text
    (tmp_path / "x.svg").write_text(SVG)
    # A name that is not kebab-case is no figure of the suite's: the page is refused, never
    # rendered with a path outside figures/ (document.figure_file).
    for name in ("../" + tmp_path.name + "/x", "<svg onload=alert(1)>"):
        evidence["figures"] = [name]
        with pytest.raises(document.ReportError, match="not kebab-case"):
            html.render(doc, tmp_path)


def test_a_figure_that_is_not_the_one_the_report_recorded_is_refused(tmp_path):
    doc = a_hostile_document()
    (tmp_path / "plot.svg").write_text(SVG)
    doc["run"]["figures"] = {"plot": hashlib.sha256(SVG.encode()).hexdigest()}
    assert embedded(rendered(doc, tmp_path)[1]) == {"plot": SVG.encode()}
    (tmp_path / "plot.svg").write_text(SVG.replace("10", "20"))
    with pytest.raises(document.ReportError, match="plot.svg: not the figure the report recorded"):
        html.render(doc, tmp_path)


def test_write_reports_writes_the_html_beside_json_and_markdown(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "plot.svg").write_text(SVG)
    write_report(a_hostile_document(), tmp_path / "out" / "claims.json", figures=staging)
    tree = Tree((tmp_path / "out" / html.HTML_NAME).read_text(encoding="utf-8"))
    assert embedded(tree) == {"plot": SVG.encode()}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "claims.html",
        "claims.json",
        "claims.md",
        "figures",
    ]
    assert (tmp_path / "out" / "figures" / "plot.svg").read_text() == SVG


FIGURE_TESTS = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds(measurements):
    figure, axes = plt.subplots()
    axes.plot([0, 1], [1, 0])
    measurements.figure("toy-plot", figure)

@pytest.mark.claim("toy/fails", kind="construction")
def test_fails():
    assert 1 == 2, "one is not <two>"
"""


def test_a_run_writes_html_with_the_figures_it_staged_inlined(toy_project):
    run = toy_project(FIGURE_TESTS)
    run.result.assert_outcomes(passed=1, xfailed=1)
    text = (run.folder / "out" / html.HTML_NAME).read_text(encoding="utf-8")
    tree = Tree(text)
    assert [attrs["data-figure"] for attrs, _ in tree.find("figure", "figure")] == ["toy-plot"]
    saved = (run.folder / "out" / "figures" / "toy-plot.svg").read_bytes()
    assert embedded(tree) == {"toy-plot": saved} and not tree.find("p", "missing")
    assert "one is not &lt;two&gt;" in text
    assert (run.folder / "out" / "figures" / "toy-plot.svg").is_file()


def test_each_document_cited_is_listed_with_its_own_sentence_table_and_beside_its_quotes(
    tmp_path,
):
    text, tree = rendered(two_document_report(), tmp_path)
    listed = tree.find("li")
    assert [attrs.get("data-document") for attrs, _ in listed][:2] == ["doc", "essay"]
    assert "claims/data/sources/essay.txt" in listed[1][1]
    tables = tree.find("table", "sentences")
    assert [attrs["data-document"] for attrs, _ in tables] == ["doc", "essay"]
    rows = tree.find("tr", "sentence-row")
    assert [(a["data-document"], a["data-sentence"]) for a, _ in rows] == [
        ("doc", "S01"),
        ("doc", "S02"),
        ("doc", "S03"),
        ("essay", "S01"),
        ("essay", "S02"),
    ]
    assert [a["id"] for a, _ in rows][3] == "sentence-essay-S01"
    assert (
        '<a href="#sentence-essay-S02">S02</a></strong> <span class="muted">(essay)</span>' in text
    )
