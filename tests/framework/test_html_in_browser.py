"""The HTML report, opened in headless Chromium, shows every sentence, claim and figure and fits
1280 px: the page and each of its tables.

Renders reports/claims.json (with the figures it names and the checks beside it, as
reports/claims.html is) into a tmp folder, never into reports/.
Needs Debian's Chromium at /usr/bin/chromium (`make test` installs it); without it this FAILS.
Set CLAIMS_SCREENSHOT=<path> to also save a screenshot of the page's top there.
"""

from __future__ import annotations

import http.server
import os
import re
import threading
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from claims.report import document, html
from claims.report.stability import load_checks

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports"
CHROMIUM = Path("/usr/bin/chromium")
# Flags for this machine's closed network: no background fetches, no sandbox as root.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1280, 800
SCREENSHOT_HEIGHT = 2200


@pytest.fixture(scope="module")
def report():
    return document.load(REPORT / document.JSON_NAME)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module (Playwright's sync API allows one per thread)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium "
            "(`apt-get install -y chromium`, as .ci/run does) to run the browser test"
        )
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": WIDTH, "height": HEIGHT},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def page(report, browser, tmp_path_factory):
    """The rendered report open in Chromium; yields (page, problems seen in the console)."""
    folder = tmp_path_factory.mktemp("html")
    path = folder / html.HTML_NAME
    path.write_text(html.render(report, REPORT / "figures", load_checks(REPORT)), encoding="utf-8")
    problems: list[str] = []
    tab = browser.new_page()
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    tab.goto(path.as_uri(), wait_until="load")
    try:
        yield tab, problems
    finally:
        tab.close()


def test_the_page_loads_without_console_errors(page):
    tab, problems = page
    assert tab.title() == "Claims report"
    assert problems == []


def test_the_summary_has_one_row_per_claim_with_its_verdict_badge(page, report):
    tab, _ = page
    rows = tab.locator("#summary tr.claim-row")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.claim)") == [
        c["id"] for c in report["claims"]
    ]
    for claim in report["claims"]:
        for badge in (
            tab.locator(f'#summary tr[data-claim="{claim["id"]}"] .badge'),
            tab.locator(f'section.claim[id="{claim["id"]}"] > p > .badge'),
        ):
            assert badge.count() == 1
            assert badge.inner_text().strip() == claim["verdict"], claim["id"]
            assert badge.is_visible()


def test_the_sentence_table_has_one_row_per_source_sentence_with_its_badge(page, report):
    tab, _ = page
    rows = tab.locator("#sentences tr.sentence-row")
    sentences = [(d["name"], s) for d in report["documents"] for s in d["sentences"]]
    assert rows.evaluate_all(
        "rows => rows.map(r => r.dataset.document + ':' + r.dataset.sentence)"
    ) == [f"{name}:{s['id']}" for name, s in sentences]
    badges = tab.locator("#sentences tr.sentence-row .badge").all_inner_texts()
    assert [b.strip() for b in badges] == [
        s["verdict"] if s["checked"] else "not checked" for _, s in sentences
    ]
    assert rows.first.is_visible()


def test_every_figure_the_report_names_is_drawn_with_a_size(page, report):
    tab, _ = page
    named = {
        name
        for c in report["claims"]
        for p in c["propositions"]
        for e in p["evidence"]
        for name in e.get("figures", [])
    }
    drawn = tab.locator("figure.figure").evaluate_all(
        """figures => figures.map(f => {
            const svg = f.querySelector('svg'), img = f.querySelector('img');
            const box = svg ? svg.getBoundingClientRect() : null;
            return [f.dataset.figure, svg ? box.width : (img ? img.naturalWidth : 0),
                    svg ? box.height : (img ? img.naturalHeight : 0)];
        })"""
    )
    assert sorted(name for name, _, _ in drawn) == sorted(named)
    assert [name for name, width, height in drawn if not (width > 0 and height > 0)] == []
    # Inline SVGs share one id space: a repeated id would point url(#...) at another figure.
    ids = tab.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert [i for i, count in Counter(ids).items() if count > 1] == []


def test_the_page_fits_a_1280_pixel_viewport_without_scrolling_sideways(page):
    tab, _ = page
    assert tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    if target := os.environ.get("CLAIMS_SCREENSHOT"):
        # The whole page is ~45,000 px tall (7 MB); the README shows its top: the sentence
        # table, the summary and the start of the claims, rendered from the full page.
        height = min(SCREENSHOT_HEIGHT, tab.evaluate("document.documentElement.scrollHeight"))
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": height}
        tab.screenshot(path=target, full_page=True, clip=clip)


# Each table, named for a failure message (its caption, else its claim or section and its kind),
# with its rendered width, the width of the box it sits in and its right edge.
TABLE_BOXES = """tables => tables.map(t => {
    const box = t.getBoundingClientRect();
    const where = t.closest('section[id]');
    const kind = [t.className, t.dataset.role || t.dataset.grid || t.dataset.gridCells
                  || t.dataset.document || t.dataset.provenance].filter(Boolean).join(' ');
    const name = t.caption ? t.caption.textContent.trim() : kind || t.id || 'table';
    return {name: (where ? where.id + ': ' : '') + name, width: box.width,
            box: t.parentElement.clientWidth, right: box.right};
})"""


def test_every_table_fits_its_box_at_1280_pixels(page):
    # A table wider than its box scrolls inside it (.scroll): the page itself stays 1280 px wide,
    # but the key number, in the last column, is off-screen. Each table must fit as laid out.
    tab, _ = page
    tab.evaluate("window.scrollTo(0, 0)")
    viewport = tab.evaluate("document.documentElement.clientWidth")
    tables = tab.locator("table").evaluate_all(TABLE_BOXES)
    assert len(tables) >= 2 * len(tab.locator("section.claim").all())
    wide = [
        f"{t['name']}: {t['width']:.0f} px wide in a {t['box']} px box, right edge at "
        f"{t['right']:.0f} px of {viewport}"
        for t in tables
        if t["width"] > t["box"] + 1 or t["right"] > viewport + 1
    ]
    assert wide == [], "tables wider than their box at 1280 px:\n" + "\n".join(wide)


def test_the_verdict_filter_hides_the_claims_of_an_unticked_verdict(page, report):
    tab, problems = page
    verdict = report["claims"][0]["verdict"]
    box = tab.locator(f'#filter input[value="{verdict}"]')
    box.uncheck()
    try:
        hidden = [c["id"] for c in report["claims"] if c["verdict"] == verdict]
        for claim_id in hidden:
            assert tab.locator(f'section.claim[id="{claim_id}"]').is_hidden()
            assert tab.locator(f'#summary tr[data-claim="{claim_id}"]').is_hidden()
    finally:
        box.check()
    assert tab.locator("section.claim:visible").count() == len(report["claims"])
    assert problems == []


# --- hostile figures: nothing in a figure runs or fetches ----------------------------------------

# Each figure tries to run script (which would mark the page's <html> as data-pwned) or to fetch
# from a local server (which records every request it gets). Figures reach the report from any
# shard folder `claims merge` reads, so they are untrusted input (docs/integrity.md, "The HTML report").
MARK = "document.documentElement.setAttribute('data-pwned', '{name}')"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
HOSTILE_FIGURES = {
    "svg-onload": f'<svg {SVG_NS} onload="{MARK}"><rect width="9" height="9"/></svg>',
    "svg-slash-onload": f'<svg/onload="{MARK}" {SVG_NS}><rect width="9" height="9"/></svg>',
    "svg-script": f'<svg {SVG_NS}><script>{MARK}</script><rect width="9" height="9"/></svg>',
    "img-slash-onerror": (
        f'<svg {SVG_NS}><foreignObject width="9" height="9"><img/src="x"/onerror="{MARK}">'
        "</foreignObject></svg>"
    ),
    "xhtml-img-onerror": (
        f'<svg {SVG_NS}><foreignObject width="9" height="9">'
        f'<img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="{MARK}"/>'
        "</foreignObject></svg>"
    ),
    "image-href": (
        f'<svg {SVG_NS} width="9" height="9"><image href="{{server}}/image.png" width="9" '
        'height="9"/></svg>'
    ),
    "css-import": (
        f'<svg {SVG_NS} width="9" height="9"><style>@import url({{server}}/style.css);'
        '</style><rect width="9" height="9"/></svg>'
    ),
}


@pytest.fixture(scope="module")
def server():
    """A local HTTP server that records the path of every request it receives."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()


def hostile_report(folder: Path, address: str) -> Path:
    """A report whose figures are the hostile ones, rendered into folder/claims.html."""
    from tests.common.documents import a_hostile_document as a_document

    doc = a_document()
    [evidence] = [
        e for c in doc["claims"] for p in c["propositions"] for e in p["evidence"] if e["figures"]
    ]
    evidence["figures"] = sorted(HOSTILE_FIGURES)
    figures = folder / "figures"
    figures.mkdir(parents=True)
    for name, svg in HOSTILE_FIGURES.items():
        text = svg.replace("{server}", address).replace("{name}", name)
        (figures / f"{name}.svg").write_text(text, encoding="utf-8")
    path = folder / html.HTML_NAME
    path.write_text(html.render(doc, figures), encoding="utf-8")
    return path


@pytest.mark.parametrize("policy", ["with", "without"])
def test_a_hostile_figure_runs_no_script_and_fetches_nothing(tmp_path, browser, server, policy):
    # "without": the page's Content-Security-Policy removed, so the embedding alone must hold.
    address, seen = server
    path = hostile_report(tmp_path, address)
    if policy == "without":
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text))
        assert "Content-Security-Policy" not in path.read_text(encoding="utf-8")
    requests: list[str] = []
    dialogs: list[str] = []
    tab = browser.new_page()
    try:
        tab.on("request", lambda r: r.url.startswith("http") and requests.append(r.url))
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(path.as_uri(), wait_until="load")
        tab.locator("figure.figure").last.scroll_into_view_if_needed()
        # Let every figure finish loading (or failing to) before looking.
        tab.wait_for_function("[...document.images].every(i => i.complete)", timeout=10_000)
        pwned = tab.evaluate("document.documentElement.getAttribute('data-pwned')")
        inline = tab.evaluate("document.querySelectorAll('figure svg').length")
    finally:
        tab.close()
    assert pwned is None and dialogs == []
    assert requests == [] and seen == []
    assert inline == 0
