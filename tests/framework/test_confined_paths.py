"""Every path read from a report's JSON stays inside its folder (docs/integrity.md, "A report that cannot
lie"): a figure name is kebab-case and its file lies in figures/, or the reader refuses the
report with one line -- the run that would delete a stale figure, merge that would copy one,
render, html, show, list and drift alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.report import publish
from claims.report.document import ReportError, figure_file, sha256
from tests.common.documents import SVG
from tests.common.report_sets import a_set, readers, snapshot
from tests.common.scratch_projects import assert_one_line_error, claims

ESCAPE = "../../victim"


def rename_figure(report: Path, name: str) -> Path:
    """Rename the set's figure "plot" to ``name`` in its evidence and run.figures, and put the
    file where a reader that follows the name would look; returns that place."""
    document = json.loads(report.read_text())
    for claim in document["claims"]:
        for proposition in claim["propositions"]:
            for evidence in proposition["evidence"]:
                evidence["figures"] = [name if f == "plot" else f for f in evidence["figures"]]
    document["run"]["figures"] = {name: document["run"]["figures"].pop("plot")}
    report.write_text(json.dumps(document))
    target = (report.parent / "figures" / f"{name}.svg").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SVG)
    return target


@pytest.mark.parametrize(
    "name", [ESCAPE, "../x/evil", "Plot", "plot.svg", "a/b", "", "-plot", "plot--two"]
)
def test_a_figure_name_that_is_not_kebab_case_names_no_file(tmp_path, name):
    with pytest.raises(ReportError) as refused:
        figure_file(tmp_path / "figures", name)
    assert len(str(refused.value).splitlines()) == 1
    assert figure_file(tmp_path / "figures", "plot-two") == tmp_path / "figures" / "plot-two.svg"


def test_a_figure_that_links_out_of_its_folder_is_refused(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "outside.svg").write_text(SVG)
    (tmp_path / "figures" / "plot.svg").symlink_to(tmp_path / "outside.svg")
    with pytest.raises(ReportError, match="resolves outside"):
        figure_file(tmp_path / "figures", "plot")


@pytest.mark.parametrize("where", ["evidence", "record"])
def test_a_run_never_deletes_a_file_outside_its_folder_that_the_old_report_names(
    toy_project, pytester, where
):
    assert toy_project().result.ret == pytest.ExitCode.OK
    out = pytester.path / "out"
    (out / "figures").mkdir()  # where the suite's figures go: the name is followed from there
    victim = (out / "figures" / f"{ESCAPE}.svg").resolve()
    victim.write_text(SVG)
    if where == "evidence":  # a report written before the record existed names its figures
        document = json.loads((out / "claims.json").read_text())
        document["claims"][0]["propositions"][0]["evidence"][0]["figures"] = [ESCAPE]
        (out / "claims.json").write_text(json.dumps(document))
    else:
        (out / "figures" / publish.WRITTEN).write_text(json.dumps({ESCAPE: sha256(victim)}))
    before = snapshot(out)
    run = toy_project()
    assert victim.read_text() == SVG, "the run deleted a file outside its report folder"
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    lines = [line for line in run.output.splitlines() if "claims report error" in line]
    assert len(lines) == 1 and repr(ESCAPE) in lines[0], run.output
    assert snapshot(out) == before


def test_merge_never_writes_a_figure_outside_its_output_folder(tmp_path):
    shard = a_set(tmp_path / "shard")
    planted = rename_figure(shard, "../../x/evil")
    assert planted == tmp_path / "shard" / "x" / "evil.svg"
    out = tmp_path / "merged" / "out" / "claims.json"
    result = claims("merge", str(shard), "-o", str(out))
    assert_one_line_error(result, 1, "'../../x/evil'", "kebab-case")
    assert not (tmp_path / "merged").exists()


def test_every_reader_refuses_a_report_whose_figure_escapes_its_folder(tmp_path):
    report = a_set(tmp_path)
    rename_figure(report, ESCAPE)
    results = {**readers(report.parent), "render": claims("render", "--report", str(report))}
    for name, result in results.items():
        assert result.returncode != 0, f"{name} accepted figure {ESCAPE!r}"
        [line] = result.stderr.strip().splitlines()
        assert repr(ESCAPE) in line and "Traceback" not in line, (name, line)
    assert not (tmp_path / "merged").exists()
