"""Sharded runs (`--claims-shard i/N`) merged with claims.report.merge equal an unsharded run."""

import json
import tomllib
from pathlib import Path

import pytest

from claims import catalog
from claims.engine import sharding
from claims.engine.registry import build_registry, registry_of
from claims.report import drift
from claims.report.document import ReportError
from claims.report.merge import merge
from tests.common.suite_runs import XDIST_PATHS, report, run_suite
from tests.common.toy_project import TOY_CATALOG

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # three subprocess runs of two claims' tests: about a minute on two cores
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
    merged = merge(shards, registry_of(catalog))
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
    _, fails = other["claims"][0]["propositions"]
    fails["evidence"][0]["outcome"] = "HOLDS"
    with pytest.raises(ValueError, match="differently"):
        merge([document, other], registry=toy_registry())


# What a shard's run block may not differ in from the others' (docs/command-line.md, "claims merge"):
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
        merge(documents, registry_of(catalog))


# --- groups stay whole; a shard is what it says -----------------------------------------------

CHAT_TEST = """
import pytest

@pytest.mark.claim("toy/fails", kind="construction")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chat(seed):
    assert False, "shares the chat runs"
"""
GROUPED = ("-o", "claims_groups=tests/claims/*/test_smollm2.py smollm2")


def test_a_group_lands_whole_in_one_shard(toy_project):
    files = {f"tests/claims/{claim}/test_smollm2.py": CHAT_TEST for claim in ("one", "two")}
    files |= {f"tests/claims/{claim}/__init__.py": "" for claim in ("one", "two")}
    selected = []
    for index in (1, 2, 3, 4):
        run = toy_project(files=files, args=(*GROUPED, "--claims-shard", f"{index}/4"))
        path = run.folder / "out" / "partial" / "claims.json"
        if run.result.ret == pytest.ExitCode.NO_TESTS_COLLECTED:  # an empty shard: no report
            assert not path.exists()
            selected.append(set())
            continue
        assert run.result.ret == pytest.ExitCode.OK, run.output
        selected.append(set(json.loads(path.read_text())["run"]["selected_tests"]))
        path.unlink()
    chat = [{t for t in tests if "test_smollm2.py" in t} for tests in selected]
    assert sorted(len(tests) for tests in chat) == [0, 0, 0, 6], chat
    assert sum(len(tests) for tests in selected) == len(set().union(*selected)) == 8


def test_the_projects_chat_model_tests_form_one_group_in_every_shard_count():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    groups = sharding.parse_groups(config["ini_options"]["claims_groups"])
    files = sorted((ROOT / "tests" / "claims").glob("*/test_smollm2.py"))
    assert len(files) >= 2, files
    nodeids = [f"{f.relative_to(ROOT).as_posix()}::test_{n}[ci]" for f in files for n in "ab"]
    assert len({sharding.group_of(nodeid, groups) for nodeid in nodeids}) == 1
    for count in range(2, 9):
        shards = [sharding.shard_slice(nodeids, i, count, groups) for i in range(1, count + 1)]
        assert sorted(map(len, shards)) == [0] * (count - 1) + [len(nodeids)], count


def two_toy_shards(toy_project) -> list[dict]:
    documents = [
        toy_project(args=("--claims-shard", f"{i}/2")).report(partial=True) for i in (1, 2)
    ]
    selected = [d["run"]["selected_tests"] for d in documents]
    assert selected == [[MATCHING_HOLDS], [MATCHING_FAILS]], selected
    return documents


MATCHING_HOLDS = "tests/claims/test_toy.py::test_holds"
MATCHING_FAILS = "tests/claims/test_toy.py::test_fails"


def copy_evidence(into: dict, source: dict) -> None:
    """Fill ``into``'s propositions with the evidence ``source`` recorded (a forged shard)."""
    evidence = {
        p["id"]: p["evidence"] for c in source["claims"] for p in c["propositions"] if p["evidence"]
    }
    for claim in into["claims"]:
        for proposition in claim["propositions"]:
            proposition["evidence"] += evidence.get(proposition["id"], [])


def test_merge_refuses_a_shard_relabelled_as_a_whole_run(toy_project):
    first, second = two_toy_shards(toy_project)
    first["run"]["shard"] = "1/1"
    first["run"]["selected_tests"] = sorted(first["run"]["collected_tests"])
    copy_evidence(first, second)
    with pytest.raises(ReportError) as refused:
        merge([first], registry=toy_registry(), names=["s1.json"])
    [line] = str(refused.value).splitlines()
    assert "s1.json says it is shard 1/1" in line and "--claims-shard 1/2" in line, line


@pytest.mark.parametrize("forgery", ["evidence", "selected"])
def test_merge_refuses_a_shard_whose_tests_are_not_its_slice(toy_project, forgery):
    first, second = two_toy_shards(toy_project)
    if forgery == "evidence":  # evidence for a test the shard never ran
        copy_evidence(first, second)
        said = f"holds evidence for {MATCHING_FAILS}, a test it did not select"
    else:  # and claims to have selected it: outside shard 1/2's slice
        copy_evidence(first, second)
        first["run"]["selected_tests"].append(MATCHING_FAILS)
        said = f"ran {MATCHING_FAILS}, which is not in shard 1/2's slice"
    with pytest.raises(ReportError) as refused:
        merge([first, second], registry=toy_registry(), names=["s1.json", "s2.json"])
    [line] = str(refused.value).splitlines()
    assert said in line and "s1.json" in line, line
