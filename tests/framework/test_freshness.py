"""Committed evidence says whether it still applies (claims.engine.freshness; docs/integrity.md, "A report that
cannot lie"): digests of what it depended on, compared with the files as they are."""

import json

from claims.engine import freshness
from claims.report import stability, view


def tree(tmp_path):
    (tmp_path / "claims" / "catalog").mkdir(parents=True)
    (tmp_path / "claims" / "catalog" / "one.py").write_text("A = 1\n")
    (tmp_path / "tests" / "claims").mkdir(parents=True)
    (tmp_path / "tests" / "claims" / "test_one.py").write_text("def test(): pass\n")
    (tmp_path / "claims" / "catalog" / "__pycache__").mkdir()
    (tmp_path / "claims" / "catalog" / "__pycache__" / "one.pyc").write_bytes(b"x")
    return tmp_path


def test_unchanged_files_are_fresh_and_any_change_is_stale_naming_it(tmp_path):
    root = tree(tmp_path)
    recorded = freshness.record(root)
    assert sorted(recorded) == ["claims/catalog/one.py", "tests/claims/test_one.py"]
    assert freshness.compare(root, recorded).fresh
    (root / "claims" / "catalog" / "one.py").write_text("A = 2\n")
    (root / "tests" / "claims" / "test_two.py").write_text("")
    found = freshness.compare(root, recorded)
    assert not found.fresh
    assert found.changed == ("claims/catalog/one.py", "tests/claims/test_two.py")
    assert "2 file(s) it depends on changed since it ran: claims/catalog/one.py" in found.reason
    (root / "tests" / "claims" / "test_one.py").unlink()
    assert "tests/claims/test_one.py" in freshness.compare(root, recorded).changed


def test_evidence_without_digests_is_stale():
    found = freshness.compare(".", None)
    assert not found.fresh and "recorded no digests" in found.reason


def test_a_check_beside_a_report_says_whether_it_is_fresh(tmp_path, monkeypatch):
    root = tree(tmp_path / "root")
    monkeypatch.setattr(stability, "ROOT", root)
    check = {
        "schema_version": stability.SCHEMA_VERSION,
        "name": "depth",
        "git_commit": "abc",
        "reference_commit": "abc",
        "depends": freshness.record(root),
        "runs": [],
        "propositions": {},
        "unstable": [],
    }
    (tmp_path / "depth.json").write_text(json.dumps(check))
    (loaded,) = stability.load_checks(tmp_path)
    assert (
        "Fresh: every file these runs depended on is unchanged"
        in view.check_summary(loaded)["said"]
    )
    (root / "claims" / "catalog" / "one.py").write_text("A = 3\n")
    (loaded,) = stability.load_checks(tmp_path)
    said = view.check_summary(loaded)["said"]
    assert "STALE — 1 file(s) it depends on changed since it ran: claims/catalog/one.py" in said
    assert "re-run `make depth`" in said
