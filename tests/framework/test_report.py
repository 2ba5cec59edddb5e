"""The JSON report round-trips, renders, is written atomically, and the drift check reads it."""

import json

import pytest

from claims.catalog import CATALOG
from claims.evidence import Evidence
from claims.registry import build_registry
from claims.report import document, drift, markdown, terminal
from claims.run import write_reports
from claims.verdicts import evaluate

REGISTRY = build_registry(CATALOG)
RUN = {"complete": True, "hypothesis_profile": "ci", "git_commit": "abc", "versions": {}}


def a_document(outcome: str = "HOLDS") -> dict:
    found = [
        Evidence(
            test=f"t::{p}",
            proposition=p,
            kind="property",
            outcome=outcome,
            examples=5,
            measurements={"m": {"value": 1.5, "unit": "s"}},
        )
        for p in REGISTRY.propositions
    ]
    results = [evaluate(c, found, set(REGISTRY.propositions)) for c in REGISTRY.claims]
    return document.to_document(results, dict(RUN))


def test_the_document_round_trips_through_json(tmp_path):
    original = a_document()
    write_reports(original, tmp_path)
    assert document.load(tmp_path / "claims.json") == original


def test_the_claims_section_has_the_promised_fields():
    claim = a_document()["claims"][0]
    assert {"id", "title", "verdict", "strength", "source", "statement", "propositions"} <= set(
        claim
    )
    proposition = claim["propositions"][0]
    assert {"id", "role", "statement", "scope", "expected", "finding", "evidence"} <= set(
        proposition
    )
    evidence = proposition["evidence"][0]
    assert evidence["measurements"] == {"m": 1.5} and evidence["units"] == {"m": "s"}
    assert {"test", "kind", "outcome", "examples", "counterexample", "reproduce"} <= set(evidence)


def test_markdown_and_terminal_show_one_summary_row_per_claim():
    doc = a_document()
    text = markdown.render(doc)
    for claim in doc["claims"]:
        assert text.count(f"| [{claim['id']}](#{claim['id']}) | **{claim['verdict']}** |") == 1
        assert any(line.startswith(claim["id"]) for line in terminal.summary_lines(doc))


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "claims.json"
    document.write_atomic(path, "old")

    def broken_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr(document.os, "replace", broken_replace)
    with pytest.raises(OSError):
        document.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.json"]


def test_a_nan_in_the_document_is_refused_rather_than_written(tmp_path):
    doc = a_document()
    doc["claims"][0]["propositions"][0]["evidence"][0]["measurements"]["m"] = float("nan")
    with pytest.raises(ValueError):
        write_reports(doc, tmp_path)
    assert not (tmp_path / "claims.json").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such report"),
        ("{not json", "not a readable JSON report"),
        (
            '{"schema_version": 99, "run": {}, "claims": []}',
            "not a claims report of schema version 1",
        ),
        ('{"schema_version": 1, "run": {}}', "missing 'claims'"),
    ],
)
def test_loading_a_missing_or_corrupt_report_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "claims.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(document.ReportError, match=message):
        document.load(path)


def test_drift_ignores_floats_and_provenance_but_not_findings(tmp_path, capsys):
    committed, fresh = a_document(), a_document()
    fresh["run"]["started"] = "later"
    fresh["claims"][0]["propositions"][0]["evidence"][0]["measurements"]["m"] = 99.0
    assert drift.differences(fresh, committed) == []
    failing = a_document("FAILS")
    assert any(
        "finding: committed HOLDS, fresh run FAILS" in d
        for d in drift.differences(failing, committed)
    )
    (tmp_path / "fresh.json").write_text(json.dumps(failing))
    (tmp_path / "committed.json").write_text(json.dumps(committed))
    assert drift.main([str(tmp_path / "fresh.json"), str(tmp_path / "committed.json")]) == 1
    assert "Run `make report`" in capsys.readouterr().err


def test_drift_refuses_to_compare_a_partial_run(tmp_path, capsys):
    partial = a_document()
    partial["run"]["complete"] = False
    (tmp_path / "p.json").write_text(json.dumps(partial))
    assert drift.main([str(tmp_path / "p.json"), str(tmp_path / "p.json")]) == 2
    assert "partial run" in capsys.readouterr().err
