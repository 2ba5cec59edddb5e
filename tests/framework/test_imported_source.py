"""A claim from a second, imported text, end to end (docs/adding-a-claim.md, "A claim from a new text").

In a scratch copy of the project (tests.common.scratch_projects' ``make_project``): `claims import-source`
turns a short essay into a numbered document, `claims new --source` scaffolds a claim against it,
a test is written, pytest runs it, and the report shows the claim's verdict beside the essay's
sentences. The first argument's files (its document, its catalog modules) are never touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claims.engine import sources
from claims.report.document import load
from tests.common.catalog_source import positional_record_calls
from tests.common.scratch_projects import ROOT, assert_one_line_error, claims, make_project

ESSAY = """\
Dead neurons stay dead. A ReLU unit whose input is negative passes no gradient
to the weights that feed it, so training cannot revive it by itself.

Mr. Smith, a reader, disagrees: leaky variants exist.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


CLAIM_TEST = """
import pytest


@pytest.mark.claim("dead-relu/example", kind="symbolic")
def test_the_example(measurements):
    measurements.record("example_value", 0.0)
"""


def fingerprint(root: Path) -> dict[str, str]:
    """SHA-256 of the first argument's files: its document and its catalog."""
    paths = [root / "claims" / "data" / "sources" / "gradient-hacking.txt"]
    paths += sorted((root / "claims" / "catalog").glob("[a-z]*.py"))
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def test_a_claim_from_an_imported_text_gets_its_verdict_beside_that_texts_sentences(
    project: Path, tmp_path_factory
):
    before, root_before = fingerprint(project), fingerprint(ROOT)
    essay = tmp_path_factory.mktemp("texts") / "essay.txt"
    essay.write_text(ESSAY, encoding="utf-8")

    imported = claims("import-source", str(essay), "--name", "relu-essay", cwd=project)
    assert imported.returncode == 0, imported.stderr
    written = project / "claims" / "data" / "sources" / "relu-essay.txt"
    document = sources.parse_document("relu-essay", written.read_text(encoding="utf-8"))
    assert list(document.sentences.values()) == [
        "Dead neurons stay dead.",
        "A ReLU unit whose input is negative passes no gradient to the weights that feed it, so "
        "training cannot revive it by itself.",
        "Mr. Smith, a reader, disagrees: leaky variants exist.",
    ]
    cited = "SourceRef(document='relu-essay', sentence='S01', quote='Dead neurons stay dead.')"
    assert cited in imported.stdout
    assert "claims new <claim-id> --source relu-essay" in imported.stdout
    # Never overwritten: a second import of the same name is one line, and the file stays.
    again = claims("import-source", str(essay), "--name", "relu-essay", cwd=project)
    assert_one_line_error(again, 1, "relu-essay.txt already exists")
    assert sources.parse_document("relu-essay", written.read_text()) == document

    scaffolded = claims("new", "dead-relu", "--source", "relu-essay", cwd=project)
    assert scaffolded.returncode == 0, scaffolded.stderr
    module = (project / "claims" / "catalog" / "dead_relu.py").read_text()
    cited = r'SourceRef\(\s*document=SOURCE,\s*sentence="S01",\s*quote="Dead neurons stay dead.",'
    assert re.search(cited, module)
    init = project / "claims" / "catalog" / "__init__.py"
    # What `claims new` writes is catalog data as the rest is: keyword arguments only.
    assert list(positional_record_calls(module)) == []
    assert list(positional_record_calls(init.read_text())) == []
    unchecked = r'Unchecked\(\s*document="relu-essay",\s*sentence="S03",\s*reason="TODO: '
    assert re.search(unchecked, init.read_text())
    lint = [sys.executable, "-m", "ruff", "format", "--config", str(ROOT / "pyproject.toml")]
    formatted = subprocess.run([*lint, "--check", str(init)], capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr

    # `claims new` writes the catalog only; the tests come after its pre-registration commit,
    # in the folder named after the catalog module.
    assert not (project / "tests" / "claims" / "dead_relu").exists()
    (project / "tests" / "claims" / "dead_relu").mkdir()
    (project / "tests" / "claims" / "dead_relu" / "test_example.py").write_text(CLAIM_TEST)
    env = {**os.environ, "PYTHONPATH": str(project), "HYPOTHESIS_PROFILE": "dev"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/claims/dead_relu", "--claims-report-dir", "out"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = load(project / "out" / "partial" / "claims.json")
    verdicts = {c["id"]: c["verdict"] for c in report["claims"]}
    assert verdicts["dead-relu"] == "SUPPORTED"
    assert report["run"]["source"] == [
        "claims/data/sources/gradient-hacking.txt",
        "claims/data/sources/relu-essay.txt",
    ]
    essay_table = report["documents"][1]
    assert essay_table["name"] == "relu-essay"
    said = [(s["id"], s["checked"], s.get("verdict")) for s in essay_table["sentences"]]
    assert said == [("S01", True, "SUPPORTED"), ("S02", False, None), ("S03", False, None)]
    markdown = (project / "out" / "partial" / "claims.md").read_text()
    assert "- `relu-essay`: relu-essay (`claims/data/sources/relu-essay.txt`)" in markdown
    assert "> **S01 (relu-essay)** “Dead neurons stay dead.”" in markdown
    assert fingerprint(project) == {**before, "dead_relu.py": fingerprint(project)["dead_relu.py"]}
    assert fingerprint(ROOT) == root_before


def test_import_source_refuses_a_text_without_sentences_and_writes_nothing(project: Path):
    blank = project / "blank.txt"
    blank.write_text("\n   \n", encoding="utf-8")
    result = claims("import-source", str(blank), "--name", "blank", cwd=project)
    assert_one_line_error(result, 1, "holds no sentence")
    result = claims("import-source", str(project / "absent.txt"), "--name", "absent", cwd=project)
    assert_one_line_error(result, 1, "absent.txt", "cannot read it")
    folder = project / "claims" / "data" / "sources"
    assert sorted(path.name for path in folder.iterdir()) == ["gradient-hacking.txt"]


def test_sentences_split_on_full_stops_and_paragraphs_never_on_abbreviations():
    from claims.cli.importing import split_sentences

    text = textwrap.dedent(
        """\
        Dr. Smith met Mr. Jones at 3 p.m. on Jan. 5. They compared ReLU vs. GELU
        (see Fig. 2), e.g. on MLPs!

        A heading without a full stop

        Then a sentence. "Quoted," he said.
        """
    )
    assert split_sentences(text) == [
        "Dr. Smith met Mr. Jones at 3 p.m. on Jan. 5.",
        "They compared ReLU vs. GELU (see Fig. 2), e.g. on MLPs!",
        "A heading without a full stop",
        "Then a sentence.",
        '"Quoted," he said.',
    ]
