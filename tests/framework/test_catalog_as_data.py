"""The catalog reads as data (issue "The house, second step"): every record is built with keyword
arguments, and no block of lines is written twice inside claims/catalog.

Source-level checks (ast and text, no import of the catalog, no torch): a positional argument to
a records class hides which field a value fills (``Proposition(id, statement, scope, ...)``); a
block repeated between or within claim modules is a copy that can drift from its original (a
quote, a label table, a helper) and belongs in one shared module (quotes.py, vocabulary.py,
chat_design.py, registrations.py).
"""

import ast
import re
from pathlib import Path

import pytest

from tests.common.catalog_source import RECORDS, positional_record_calls

CATALOG = Path(__file__).resolve().parents[2] / "claims" / "catalog"
# Consecutive lines that make a repeated block.
BLOCK = 6


def catalog_files(root: Path = CATALOG) -> list[Path]:
    return sorted(root.rglob("*.py"))


def code_lines(source: str) -> list[tuple[int, str]]:
    """(line number, whitespace-normalized text) of the non-blank lines outside import
    statements: imports of the same names are alike by nature, not copies."""
    imports: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.update(range(node.lineno, node.end_lineno + 1))
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        text = " ".join(line.split())
        if text and number not in imports:
            found.append((number, text))
    return found


def repeated_blocks(sources: dict[str, str], size: int = BLOCK) -> list[str]:
    """Each block of ``size`` consecutive non-blank lines that stands in two places, as
    "a.py:10 ~ b.py:40" (first line of each), one row per pair of places."""
    seen: dict[tuple[str, ...], str] = {}
    found = []
    for name, source in sources.items():
        lines = code_lines(source)
        last = -1
        for start in range(len(lines) - size + 1):
            window = tuple(text for _, text in lines[start : start + size])
            where = f"{name}:{lines[start][0]}"
            if window in seen:
                if start > last:  # one row per run of overlapping windows
                    found.append(f"{seen[window]} ~ {where}")
                last = start + size - 1
            else:
                seen[window] = where
    return found


def sources_of(files: list[Path], root: Path = CATALOG) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8") for path in files}


def test_records_classes_are_the_ones_the_catalog_builds():
    assert {"Proposition", "Claim", "SourceRef", "Reading", "Grid", "Key", "Unchecked"} <= RECORDS
    assert "Registration" in RECORDS and "blind" in RECORDS


@pytest.mark.parametrize("path", catalog_files(), ids=lambda p: p.name)
def test_every_records_call_in_the_catalog_names_its_fields(path):
    found = list(positional_record_calls(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name}: positional arguments to " + ", ".join(
        f"{name} (line {line})" for line, name in found
    )


def test_no_block_of_six_lines_is_repeated_inside_the_catalog():
    found = repeated_blocks(sources_of(catalog_files()))
    assert not found, f"blocks of {BLOCK} lines written twice in claims/catalog: " + "; ".join(
        found
    )


def test_a_positional_argument_is_found():
    source = 'P = Proposition(id="a/b", statement="s")\nR = records.Reading("w", why="y")\n'
    assert list(positional_record_calls(source)) == [(2, "Reading")]
    assert list(positional_record_calls('K = Key("{x}")\n')) == [(1, "Key")]


def test_a_repeated_block_is_found_across_and_within_files_whitespace_aside():
    block = "".join(f"x{i} = {i}\n" for i in range(BLOCK))
    loose = re.sub(r"=", "  =  ", block)
    assert repeated_blocks({"a.py": block, "b.py": "y = 0\n\n" + loose}) == ["a.py:1 ~ b.py:3"]
    assert repeated_blocks({"a.py": block + "z = 1\n" + block}) == ["a.py:1 ~ a.py:8"]
    shorter = "".join(f"x{i} = {i}\n" for i in range(BLOCK - 1))
    assert repeated_blocks({"a.py": shorter, "b.py": shorter}) == []
    imports = "from m import (\n" + "".join(f"    n{i},\n" for i in range(BLOCK)) + ")\n"
    assert repeated_blocks({"a.py": imports, "b.py": imports}) == []
