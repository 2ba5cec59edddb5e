"""Sharded runs (`--claims-shard i/N`) merged with claims.report.merge equal an unsharded run."""

import json

import pytest

from claims.engine.registry import build_registry
from claims.report import drift
from claims.report.document import ReportError
from claims.report.merge import merge
from tests.framework.conftest import TOY_CATALOG
from tests.framework.suite_runs import report, run_suite
from tests.framework.test_suite_wiring import XDIST_PATHS


def test_two_shards_merged_find_what_one_unsharded_run_finds(tmp_path):
    whole = run_suite(tmp_path / "whole", paths=XDIST_PATHS)
    assert whole.returncode == 0, whole.stdout[-3000:]
    shards = []
    for index in (1, 2):
        folder = tmp_path / f"shard{index}"
        result = run_suite(folder, "--claims-shard", f"{index}/2", paths=XDIST_PATHS)
        assert result.returncode == 0, result.stdout[-3000:]
        shards.append(report(folder, partial=True))
    selected = [set(s["run"]["selected_tests"]) for s in shards]
    assert selected[0] and selected[1] and not selected[0] & selected[1], "shards must partition"
    merged = merge(shards)
    unsharded = report(tmp_path / "whole", partial=True)
    assert merged["run"]["complete"] is unsharded["run"]["complete"] is False
    assert drift.differences(merged, unsharded) == []


def toy_registry():
    namespace: dict = {}
    exec(TOY_CATALOG.replace("{extra}", ""), namespace)  # the toy catalog of the plugin tests
    return build_registry(namespace["CATALOG"], not_checked=namespace["NOT_CHECKED"])


def test_a_full_set_of_toy_shards_merges_into_a_complete_report(toy_project):
    documents = []
    for index in (1, 2):
        run = toy_project(args=("--claims-shard", f"{index}/2"))
        documents.append(run.report(partial=True))
    merged = merge(documents, registry=toy_registry())
    assert merged["run"]["complete"] is True
    findings = {p["id"]: p["finding"] for c in merged["claims"] for p in c["propositions"]}
    assert findings == {"toy/holds": "HOLDS", "toy/fails": "FAILS"}


def test_a_missing_shard_leaves_its_propositions_not_run(toy_project):
    run = toy_project(args=("--claims-shard", "1/2"))
    merged = merge([run.report(partial=True)], registry=toy_registry())
    assert merged["run"]["complete"] is False
    assert "NOT_RUN" in {p["finding"] for c in merged["claims"] for p in c["propositions"]}


@pytest.mark.parametrize("spec", ["3/2", "0/2", "a/b", "1"])
def test_a_bad_shard_spec_is_a_usage_error(toy_project, spec):
    run = toy_project(args=("--claims-shard", spec))
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--claims-shard" in run.output
    assert not (run.folder / "out").exists()


def test_shards_that_disagree_about_a_test_are_refused(toy_project):
    document = toy_project().report()
    other = json.loads(json.dumps(document))
    other["claims"][0]["propositions"][0]["evidence"][0]["outcome"] = "HOLDS"
    with pytest.raises(ValueError, match="differently"):
        merge([document, other], registry=toy_registry())


# What a shard's run block may not differ in from the others' (README, "Command line": merge):
# each mismatch is refused with one line naming it and both shards.
MISMATCHES = {
    "commit": ("git_commit", "0" * 40, "git commit"),
    "profile": ("hypothesis_profile", "thorough", "Hypothesis profile"),
    "seed": ("hypothesis_seed", 12345, "Hypothesis seed"),
    "torch": ("versions", {"torch": "0.0.1"}, "package versions"),
    "catalog": ("catalog", "f" * 64, "another catalog"),
}


@pytest.mark.parametrize("key, value, named", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_shards_that_do_not_belong_together_are_refused_naming_the_difference(
    toy_project, key, value, named
):
    documents = [
        toy_project(args=("--claims-shard", f"{i}/2")).report(partial=True) for i in (1, 2)
    ]
    assert merge(documents, registry=toy_registry())["run"]["complete"] is True
    documents[1]["run"][key] = value
    with pytest.raises(ReportError) as refused:
        merge(documents, registry=toy_registry(), names=["s1.json", "s2.json"])
    [line] = str(refused.value).splitlines()
    assert named in line and "s2.json" in line, line


def test_shards_of_another_projects_catalog_are_refused(toy_project):
    # The real catalog's fingerprint is not the toy's: a "full run" of UNTESTED never comes out.
    documents = [
        toy_project(args=("--claims-shard", f"{i}/2")).report(partial=True) for i in (1, 2)
    ]
    with pytest.raises(ReportError, match="another catalog"):
        merge(documents)
