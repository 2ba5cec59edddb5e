"""The committed report set is what it says it is: its Markdown and HTML are the renderings of
its JSON, byte for byte (claims.report.drift.rendering_problems; docs/integrity.md, "A report that cannot
lie"). `make test` also runs the drift check itself; this test is what `make mutants` edits the
committed Markdown under (tests/framework/mutants.py)."""

from pathlib import Path

from claims.report import drift
from claims.report.document import load

COMMITTED = Path(__file__).resolve().parents[2] / "reports" / "claims.json"


def test_the_committed_markdown_and_html_are_renderings_of_the_committed_json():
    assert drift.rendering_problems(COMMITTED, load(COMMITTED)) == []
