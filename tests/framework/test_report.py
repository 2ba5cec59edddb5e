"""The JSON report round-trips, renders, is written atomically, and the drift check reads it."""

import json
import re

import pytest

from claims.engine.evidence import Evidence
from claims.engine.verdicts import evaluate
from claims.report import document, drift, markdown, terminal, view
from claims.report.publish import write_report
from tests.common.documents import (
    REGISTRY,
    RUN,
    a_document,
    grid_document,
    two_document_report,
)


def test_the_document_round_trips_through_json(tmp_path):
    original = a_document()
    write_report(original, tmp_path / "claims.json")
    assert document.load(tmp_path / "claims.json") == original
    assert original["schema_version"] == document.SCHEMA_VERSION == 4
    assert list(original) == ["schema_version", "run", "documents", "registrations", "claims"]
    (source,) = original["documents"]
    assert list(source) == ["name", "title", "path", "sentences"]
    assert source["path"] == "claims/data/sources/gradient-hacking.txt"


def test_outside_the_run_block_the_document_is_deterministic():
    first, second = a_document(), a_document()
    second["run"]["started"] = "later"
    assert {k: v for k, v in first.items() if k != "run"} == {
        k: v for k, v in second.items() if k != "run"
    }


def test_the_claims_section_has_the_promised_fields():
    claim = a_document()["claims"][0]
    assert list(claim) == [
        "id",
        "title",
        "verdict",
        "verdict_reason",
        "strength",
        "key",
        "survives",
        "source",
        "statement",
        "notes",
        "grids",
        "propositions",
    ]
    assert set(claim["survives"]) == {"holds", "fails", "grids", "text"}
    proposition = claim["propositions"][0]
    assert list(proposition) == [
        "id",
        "role",
        "formalizes",
        "reading",
        "registration",
        "power",
        "statement",
        "scope",
        "grid",
        "cell",
        "expected",
        "finding",
        "matches_expectation",
        "key",
        "rationale",
        "reregistered",
        "evidence",
    ]
    evidence = proposition["evidence"][0]
    assert evidence["measurements"]["m"] == 1.5 and evidence["units"]["m"] == "s"
    assert {"test", "kind", "outcome", "examples", "counterexample", "reproduce"} <= set(evidence)


def test_markdown_and_terminal_show_one_summary_row_per_claim():
    doc = a_document()
    text = markdown.render(doc)
    for claim in doc["claims"]:
        row = f"| [{claim['id']}](#{claim['id']}) | **{claim['verdict']}** |"
        assert text.count(row) == 1
        [line] = [line for line in terminal.summary_lines(doc) if line.startswith(claim["id"])]
        assert line.split()[1] == claim["verdict"] and line.endswith(claim["key"] or "-")


def test_markdown_opens_with_every_sentence_of_the_source_in_order():
    doc = a_document(outcome=None)
    text = markdown.render(doc)
    start, end = text.index("## The argument, sentence by sentence"), text.index("## Claims")
    assert start < end < text.index('<a id="')
    (source,) = doc["documents"]
    assert f"### {source['title']} (`gradient-hacking`)" in text[start:end]
    rows = [line for line in text[start:end].splitlines() if re.match(r"\| S\d+ \|", line)]
    sentences = REGISTRY.documents["gradient-hacking"].sentences
    assert [row.split(" | ")[0] for row in rows] == [f"| {s}" for s in sentences]
    for row, sentence in zip(rows, source["sentences"], strict=True):
        assert f" | {markdown._cell(sentence['text'])} | " in row  # the full sentence
        if sentence["checked"]:
            assert f"**{sentence['verdict']}**" in row
            assert all(f"[{claim}](#{claim})" in row for claim in sentence["claims"])
        else:
            assert "not checked" in row and sentence["reason"] in row
    assert any(s["checked"] for s in source["sentences"])
    assert any(not s["checked"] for s in source["sentences"])


def test_a_finding_is_marked_as_expected_or_flagged_where_it_differs():
    matching = markdown.render(a_document(outcome=None))
    assert "**FAILS, as expected**" in matching and "**HOLDS, as expected**" in matching
    # The grid legend explains the ⚠ mark; no finding carries it.
    assert "⚠ **" not in matching and "⚠ |" not in matching
    holding = markdown.render(a_document("HOLDS"))
    assert "⚠ **HOLDS — expected FAILS**" in holding
    assert "**HOLDS, as expected**" in holding


def test_a_proposition_that_did_not_run_neither_matches_nor_differs():
    first = REGISTRY.claims[0].propositions[0]
    found = [Evidence(test="t::one", proposition=first.id, kind="symbolic", outcome="HOLDS")]
    results = [evaluate(c, found, set(REGISTRY.propositions)) for c in REGISTRY.claims]
    doc = document.to_document(results, dict(RUN, complete=False), REGISTRY)
    propositions = [p for c in doc["claims"] for p in c["propositions"]]
    assert {p["finding"]: p["matches_expectation"] for p in propositions} == {
        "HOLDS": True,
        "NOT_RUN": None,
    }
    claims = markdown.render(doc).split('<a id="', 1)[1]
    assert "**NOT_RUN (expected FAILS)**" in claims and "⚠ **" not in claims
    assert {s["verdict"] for d in doc["documents"] for s in d["sentences"] if s["checked"]} == {
        "NOT_RUN"
    }


def test_a_conditions_grid_is_a_table_of_findings_with_roles_and_marks():
    text = markdown.render(grid_document())
    assert "### Conditions: inactive-weights-still" in text
    assert "| activation ╲ optimizer | SGD | Adam | AdamW |" in text
    relu = "| ReLU | HOLDS (asserted) ✓ | HOLDS (asserted) ✓ | HOLDS (asserted) ✓ |"
    gelu = "| GELU | HOLDS (asserted) ✓ | FAILS (asserted) ⚠ | FAILS (asserted) ⚠ |"
    assert text.index(relu) < text.index(gelu), "rows in catalog order"
    assert view.GRID_LEGEND in text
    # A refuted claim says what survives, computed from the grid.
    assert "**What survives.** inactive-weights-still holds for ReLU with SGD, Adam, AdamW" in text


def test_propositions_are_grouped_asserted_then_beyond_then_lemmas():
    text = markdown.render(a_document())
    section = text.split('<a id="inactive-relu-zero-gradient"></a>', 1)[1]
    asserted = section.index("### Asserted")
    assert asserted < section.index("### Beyond")
    assert "| Proposition | Formalizes | Statement |" in section[asserted:]
    assert "| `error-signal-zero` | S09 |" in section
    assert "largest \\|dL/dz\\| at an inactive neuron: 1.5 |" in section  # its key, not a dump
    assert "m = 1.5" not in text


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
        write_report(doc, tmp_path / "claims.json")
    assert not (tmp_path / "claims.json").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such report"),
        ("{not json", "not a readable JSON report"),
        (
            '{"schema_version": 99, "run": {}, "claims": []}',
            "not a claims report of schema version 4",
        ),
        (
            '{"schema_version": 3, "run": {}, "documents": [], "claims": []}',
            "not a claims report of schema version 4",
        ),
        ('{"schema_version": 4, "run": {}, "documents": []}', "missing 'claims'"),
    ],
)
def test_loading_a_missing_or_corrupt_report_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "claims.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(document.ReportError, match=message):
        document.load(path)


def test_drift_ignores_provenance_and_unshown_measurements_but_not_findings(tmp_path, capsys):
    committed, fresh = a_document(), a_document()
    fresh["run"]["started"] = "later"
    fresh["claims"][0]["propositions"][0]["evidence"][0]["measurements"]["m"] = 99.0
    assert drift.differences(fresh, committed) == []
    failing = a_document("FAILS")
    assert any(
        "finding: committed HOLDS, fresh run FAILS" in d
        for d in drift.differences(failing, committed)
    )
    refuted = [d for d in drift.differences(failing, committed) if "S09:" in d]
    assert refuted == ["sentence gradient-hacking:S09: committed SUPPORTED, fresh run REFUTED"]
    (tmp_path / "fresh.json").write_text(json.dumps(failing))
    (tmp_path / "committed.json").write_text(json.dumps(committed))
    assert drift.main([str(tmp_path / "fresh.json"), str(tmp_path / "committed.json")]) == 1
    assert "Run `make report`" in capsys.readouterr().err


@pytest.mark.parametrize(
    "edit, where",
    [
        (lambda c: c.update(strength="proved symbolically"), "strength"),
        (lambda c: c.update(key="a better number"), " key"),
        (lambda c: c.update(verdict_reason="because"), "verdict_reason"),
        (lambda c: c["survives"].update(text="everything"), "survives"),
        (lambda c: c["propositions"][0].update(key="edited"), " key"),
        (lambda c: c["propositions"][0].update(reading=None), " reading"),
        (lambda c: c["propositions"][0]["registration"].update(provenance="blind"), "registration"),
        (lambda c: c["propositions"][0]["evidence"][0].update(examples=10**6), "examples"),
    ],
)
def test_drift_sees_every_field_a_reader_sees(edit, where):
    committed, fresh = a_document(), a_document()
    edit(committed["claims"][0])
    found = drift.differences(fresh, committed)
    assert found and all(where in line for line in found), found


def test_drift_compares_example_counts_at_their_order_of_magnitude():
    # Whole-suite runs of one commit ran 367, 368 and 375 examples of one Hypothesis test
    # (drift._examples_shown): the same order of magnitude is no drift, another one is.
    committed, fresh = a_document(), a_document()
    for report, count in ((committed, 367), (fresh, 375)):
        report["claims"][0]["propositions"][0]["evidence"][0]["examples"] = count
    assert drift.differences(fresh, committed) == []
    fresh["claims"][0]["propositions"][0]["evidence"][0]["examples"] = 37
    (line,) = drift.differences(fresh, committed)
    assert "examples: committed at least 100, fresh run at least 10" in line


def test_drift_sees_an_edited_table_cell_at_the_digits_shown_only():
    committed, fresh = grid_document(), grid_document()
    shown = {"columns": ["mean"], "rows": [[0.123456]], "digits": 4}
    for report, value in ((committed, 0.123456), (fresh, 0.1234561)):
        evidence = report["claims"][0]["propositions"][0]["evidence"][0]
        evidence["tables"] = {"t": {**shown, "rows": [[value]]}}
    assert drift.differences(fresh, committed) == [], "below the digits shown: no change"
    proposition = committed["claims"][0]["propositions"][0]
    proposition["evidence"][0]["tables"]["t"]["rows"] = [[0.1245]]
    pid = proposition["id"]
    assert [d.split(": committed")[0] for d in drift.differences(fresh, committed)] == [
        f"{pid} t::{pid} table t"
    ]


def test_drift_refuses_a_committed_markdown_or_html_edited_by_hand(tmp_path, capsys):
    from claims.report import html

    committed = a_document(None)
    committed["run"]["id"] = "0123456789abcdef"
    write_report(committed, tmp_path / "claims.json")
    fresh = tmp_path / "fresh.json"
    fresh.write_text(json.dumps(committed))
    target = tmp_path / "claims.json"
    assert drift.main([str(fresh), str(target)]) == 0, capsys.readouterr().err
    assert (tmp_path / "claims.html").read_text() == html.render(committed, tmp_path / "figures")
    markdown_text = (tmp_path / "claims.md").read_text()
    verdict = committed["claims"][0]["verdict"]
    (tmp_path / "claims.md").write_text(markdown_text.replace(f"**{verdict}**", "**SUPPORTED**", 1))
    assert drift.main([str(fresh), str(target)]) == 1
    err = capsys.readouterr().err
    assert "claims.md: not the rendering of claims.json" in err and "edited by hand" in err
    (tmp_path / "claims.md").write_text(markdown_text)
    (tmp_path / "claims.html").write_text((tmp_path / "claims.html").read_text() + " ")
    assert drift.main([str(fresh), str(target)]) == 1
    assert "claims.html: not the rendering" in capsys.readouterr().err


def test_drift_refuses_to_compare_a_partial_run(tmp_path, capsys):
    partial = a_document()
    partial["run"]["complete"] = False
    (tmp_path / "p.json").write_text(json.dumps(partial))
    assert drift.main([str(tmp_path / "p.json"), str(tmp_path / "p.json")]) == 2
    assert "partial run" in capsys.readouterr().err


def a_claim_with_tables(*tables: tuple[str, list[str], int]) -> dict:
    evidence = [
        {"tables": {name: {"columns": columns, "rows": [[0.123456789, 1.0]], "digits": digits}}}
        for name, columns, digits in tables
    ]
    return {"propositions": [{"evidence": evidence}]}


def test_tables_of_one_shape_are_merged_and_keep_their_digits():
    claim = a_claim_with_tables(
        ("cell a: ratios", ["mean", "high"], 4),
        ("cell b: ratios", ["mean", "high"], 4),
        ("bracket", ["mean", "high"], 10),
    )
    merged, single = view.table_groups(claim)
    assert merged["columns"] == ["table", "mean", "high"] and merged["digits"] == 4
    assert [row[0] for row in merged["rows"]] == ["cell a: ratios", "cell b: ratios"]
    assert merged["name"] == "2 tables of one shape"
    assert single == {
        "name": "bracket",
        "columns": ["mean", "high"],
        "rows": [[0.123456789, 1.0]],
        "digits": 10,
    }


def test_grid_cells_are_listed_under_their_grid_not_in_the_role_tables():
    text = markdown.render(grid_document())
    grid_part, rest = text.split("### Asserted", 1) if "### Asserted" in text else (text, "")
    assert "Scope of every cell:" in grid_part
    assert "| Cell | Proposition | Role · formalizes |" in grid_part
    assert "`relu-sgd`" not in rest


def test_the_report_lists_its_sources_and_shows_each_documents_sentences_and_quotes():
    doc = two_document_report()
    assert [(d["name"], d["path"]) for d in doc["documents"]] == [
        ("doc", "claims/data/sources/doc.txt"),
        ("essay", "claims/data/sources/essay.txt"),
    ]
    assert doc["claims"][0]["source"][1] == {
        "document": "essay",
        "sentence": "S02",
        "quote": "second essay",
    }
    text = markdown.render(doc)
    sources, sentences = text.split("## The argument, sentence by sentence")
    assert "- `doc`: doc (`claims/data/sources/doc.txt`)" in sources
    assert "- `essay`: essay (`claims/data/sources/essay.txt`)" in sources
    per_document = sentences.split("## Claims")[0].split("### ")[1:]
    assert [part.splitlines()[0] for part in per_document] == ["doc (`doc`)", "essay (`essay`)"]
    essay_rows = [line for line in per_document[1].splitlines() if line.startswith("| S0")]
    assert essay_rows[0].startswith("| S01 | an essay sentence. | not checked | preamble |")
    assert essay_rows[1].startswith("| S02 | a second essay sentence. | **SUPPORTED** | a = 1 |")
    assert "> **S01 (doc)** “one sentence”" in text
    assert "> **S02 (essay)** “second essay”" in text


def test_the_report_opens_with_how_its_expectations_were_registered():
    found = a_document(None)
    blind = [
        p.id
        for c in REGISTRY.claims
        for p in c.propositions
        if p.registration.provenance == "blind"
    ]
    informed = [
        p.id
        for c in REGISTRY.claims
        for p in c.propositions
        if p.registration.provenance == "informed"
    ]
    assert found["registrations"] == {"blind": blind, "informed": informed}
    assert blind and informed, "the catalog registers both ways"
    text = markdown.render(found)
    opening = text.split("## The argument", 1)[0]
    assert (
        f"Of {len(blind) + len(informed)} propositions, {len(blind)} were registered blind"
        in opening
    )
    assert f"and {len(informed)} informed" in opening
    assert "before the tests ran" not in text, "the report never claims more than the record"
    section = text.split("## Registration", 1)[1].split("## Run", 1)[0]
    first_informed = REGISTRY.propositions[informed[0]]
    assert f"| `{informed[0]}` |" in section
    assert first_informed.registration.known.split(";")[0][:40] in section


def test_an_asserted_proposition_shows_the_words_it_rests_on():
    text = markdown.render(a_document(None))
    proposition = REGISTRY.proposition("inactive-relu-zero-gradient/error-signal-zero")
    assert f"reads “{proposition.reading.words}”: {proposition.reading.why}" in text
    assert "registered informed (42fb02f)" in text
