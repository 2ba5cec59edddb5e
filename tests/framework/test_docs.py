"""The README a reviewer finishes, and docs/ pages that the code's citations find.

README.md stays short (the rest is in docs/, each page linked from it); every relative link in
the README and docs/ leads to a file, and to a heading where it names one; every citation in the
code and tests (README, "<section>" or docs/<page>.md, "<section>") names a heading of that file.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
README_LIMIT = 200
# Where code comments, docstrings and messages cite the documentation.
CITING = ("claims", "tests", "benchmarks", "Makefile", "conftest.py", "pyproject.toml", ".ci/run")
CITING_SUFFIXES = (".py", ".md", ".toml")

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# README, "Registration" / README "Strength" / docs/integrity.md, "Drift"; a citation
# may be split over lines (a comment marker, or a string literal's implicit concatenation).
CITATION = re.compile(r'(?<![\w./-])(README|docs/[\w-]+\.md),?\s+"([^"\n]+)"')
CONTINUATION = re.compile(r"\s*\n\s*(?:#+\s*)?")
CONCATENATION = re.compile(r"\s*'\s*'\s*")


def doc_pages() -> list[Path]:
    return sorted((ROOT / "docs").glob("*.md"))


def prose(text: str) -> str:
    """Markdown without fenced blocks and code spans: where links and headings are meant."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def headings(path: Path) -> list[str]:
    return [h.replace("`", "") for h in HEADING.findall(FENCE.sub("", path.read_text("utf-8")))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    for heading in headings(path):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def link_problems(page: Path) -> list[str]:
    problems = []
    for target in LINK.findall(prose(page.read_text("utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        resolved = (page.parent / file).resolve() if file else page
        where = f"{page.relative_to(ROOT)}: link {target!r}"
        if not resolved.exists():
            problems.append(f"{where} leads to no file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{where}: {resolved.name} has no heading #{anchor}")
    return problems


def citations(text: str) -> list[tuple[str, str]]:
    """(file, section) for each citation of the documentation in ``text``."""
    joined = CONTINUATION.sub(" ", text)
    return [(f, CONCATENATION.sub(" ", s)) for f, s in CITATION.findall(joined)]


def citing_files() -> list[Path]:
    found = []
    for name in CITING:
        path = ROOT / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix in CITING_SUFFIXES and "__pycache__" not in p.parts
            ]
    # This file's own examples of citations are not citations.
    found = [p for p in found if p != Path(__file__).resolve()]
    return found


def test_the_readme_is_at_most_200_lines():
    lines = README.read_text("utf-8").count("\n")
    assert lines <= README_LIMIT, f"README.md has {lines} lines; move a topic to docs/"


def test_every_docs_page_is_linked_from_the_readme():
    linked = {
        (ROOT / target.partition("#")[0]).resolve()
        for target in LINK.findall(prose(README.read_text("utf-8")))
    }
    assert doc_pages(), "docs/ holds no page"
    unlinked = [p.name for p in doc_pages() if p.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"


@pytest.mark.parametrize("page", [README, *doc_pages()], ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading(page):
    assert link_problems(page) == []


def test_every_citation_of_the_documentation_names_one_of_its_headings():
    problems = []
    for path in citing_files():
        for file, section in citations(path.read_text("utf-8")):
            cited = README if file == "README" else ROOT / file
            if not cited.is_file():
                problems.append(f"{path.relative_to(ROOT)}: cites {file}, which does not exist")
            elif section not in headings(cited):
                problems.append(f'{path.relative_to(ROOT)}: {file}, "{section}" is no heading')
    assert not problems, "\n".join(problems)


# The checks themselves, on text where the answer is known.


def test_a_citation_split_over_comment_lines_or_string_literals_is_read_whole():
    text = "# see (README, \"Verdict\n#   rules\")\nx = ('(docs/a.md, \"Roles and '\n    'readings\")')"
    assert citations(text) == [("README", "Verdict rules"), ("docs/a.md", "Roles and readings")]
    assert citations('tests/README.md, "x"; README.md in the package') == []


def test_anchors_are_githubs(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# A `claims merge`\n## Standard JSON, of a stated size\n## Drift\n## Drift\n")
    assert anchors(page) == {"a-claims-merge", "standard-json-of-a-stated-size", "drift", "drift-1"}
