"""Pre-registration: the catalog's decisions match their record, and the record has a history.

docs/integrity.md, "Pre-registration": decisions go into the catalog in a commit of their own before the tests
that measure them. claims/catalog/preregistered.json records them (claims/engine/preregistration.py);
each catalog module names the commit that registered it, and that commit must be in the history,
must have touched the module, and must not have touched any claim test.
"""

import importlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from claims import catalog
from claims.catalog import CATALOG
from claims.engine import preregistration

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"Pre-registered in commit ([0-9a-f]{7,40})\b")


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()


def catalog_modules():
    return [
        importlib.import_module(preregistration._module_of(c, "claims.catalog").__name__)
        for c in CATALOG
    ]


def test_the_catalog_matches_its_preregistration_record():
    registered = json.loads(preregistration.record_path(catalog).read_text(encoding="utf-8"))
    assert preregistration.differences(preregistration.record(catalog), registered) == []


def test_a_moved_threshold_or_expectation_is_reported_against_the_record():
    registered = json.loads(preregistration.record_path(catalog).read_text(encoding="utf-8"))
    moved = json.loads(json.dumps(registered))
    claim = next(iter(moved["claims"].values()))
    proposition = next(iter(claim["propositions"].values()))
    proposition["expected"] = "HOLDS" if proposition["expected"] == "FAILS" else "FAILS"
    claim["constants"]["NEW_THRESHOLD"] = 0.5
    found = preregistration.differences(moved, registered)
    assert len(found) == 2 and any("expected" in line for line in found)
    assert any("NEW_THRESHOLD" in line for line in found)


def test_constants_are_the_numeric_upper_case_names_only():
    module = importlib.import_module("claims.catalog.inactive_circuit_not_reinforced")
    found = preregistration.constants(module)
    assert found["NOT_REINFORCED"] == 0.1 and found["MARGINS"][0] == 0.25
    assert "ID" not in found and "ACTIVATIONS" not in found and "REAL_MARGINS" not in found


@pytest.mark.parametrize("module", catalog_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_each_catalog_module_names_a_commit_that_registered_it_before_its_tests(module):
    match = NAMED.search(module.__doc__ or "")
    assert match, f"{module.__name__}: docstring names no 'Pre-registered in commit <hash>'"
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: the registering commit is not in the history here")
    commit = git("rev-parse", "--verify", f"{match.group(1)}^{{commit}}")
    subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "--is-ancestor", commit, "HEAD"], check=True
    )
    path = Path(module.__file__).relative_to(ROOT).as_posix()
    touched = git("show", "--name-only", "--format=", commit).splitlines()
    assert path in touched, f"{commit[:12]} did not change {path}"
    assert not [p for p in touched if p.startswith("tests/claims/")], (
        f"{commit[:12]} also changed claim tests: a pre-registration commit holds the catalog only"
    )


REGISTRATIONS = [p.registration for claim in CATALOG for p in claim.propositions]


def test_every_proposition_names_the_commit_that_registered_it():
    unnamed = [p.id for c in CATALOG for p in c.propositions if not p.registration.commit]
    assert not unnamed, (
        f"registrations without a commit (name it in a catalog-only commit): {unnamed[:5]}"
    )


@pytest.mark.parametrize("commit", sorted({r.commit for r in REGISTRATIONS if r.commit}))
def test_a_registration_commit_is_in_the_history_and_changed_the_catalog(commit):
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: the registering commit is not in the history here")
    full = git("rev-parse", "--verify", f"{commit}^{{commit}}")
    subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "--is-ancestor", full, "HEAD"], check=True
    )
    touched = git("show", "--name-only", "--format=", full).splitlines()
    assert any(p.startswith("claims/catalog") for p in touched), f"{commit} changed no catalog file"


@pytest.mark.parametrize(
    "commit", sorted({r.commit for r in REGISTRATIONS if r.commit and r.provenance == "blind"})
)
def test_a_blind_registration_was_made_before_any_test_measured_it(commit):
    """README, "Registration": blind means registered in a catalog-only commit."""
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: the registering commit is not in the history here")
    touched = git("show", "--name-only", "--format=", commit).splitlines()
    assert not [p for p in touched if p.startswith("tests/claims/")], (
        f"{commit} registered a proposition blind but also changed claim tests"
    )


def record_at(commit: str) -> dict:
    return json.loads(git("show", f"{commit}:claims/catalog/preregistered.json"))


def test_a_role_moved_without_a_note_is_refused():
    registered = json.loads(preregistration.record_path(catalog).read_text(encoding="utf-8"))
    moved = json.loads(json.dumps(registered))
    cells = moved["claims"]["activation-scaling"]["propositions"]
    cell = cells["activation-scaling/adam-first-step-active-plastic"]
    cell["role"] = "beyond"  # demote a cell, as an attacker would, without a note
    found = preregistration.unnoted_changes(moved, registered)
    assert found == [
        "activation-scaling/adam-first-step-active-plastic: role asserted -> beyond without a "
        "re-registration (reregistered='why' and informed provenance)"
    ]
    cell["reregistered"], cell["provenance"] = "moved because ...", "informed"
    assert preregistration.unnoted_changes(moved, registered) == []
    cell["provenance"] = "blind"
    assert len(preregistration.unnoted_changes(moved, registered)) == 1


def test_a_moved_constant_needs_its_note():
    registered = json.loads(preregistration.record_path(catalog).read_text(encoding="utf-8"))
    moved = json.loads(json.dumps(registered))
    claim = moved["claims"]["inactive-circuit-not-reinforced"]
    claim["constants"]["NOT_REINFORCED"] = 0.2
    (line,) = preregistration.unnoted_changes(moved, registered)
    assert "constant NOT_REINFORCED moved (0.1 -> 0.2)" in line
    claim["constants_reregistered"] = {"NOT_REINFORCED": "why"}
    assert preregistration.unnoted_changes(moved, registered) == []


def test_every_rewrite_of_the_record_since_the_rule_says_why_each_decision_moved():
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: the record's history is not here")
    since = git("rev-parse", preregistration.RULE_SINCE)
    commits = git(
        "log",
        "--format=%H",
        "--reverse",
        f"{since}^..HEAD",
        "--",
        "claims/catalog/preregistered.json",
    ).splitlines()
    assert commits and commits[0] == since
    for before, after in zip(commits, commits[1:], strict=False):
        found = preregistration.unnoted_changes(record_at(after), record_at(before))
        assert not found, f"{after[:12]} moved decisions without a note: {found}"
    found = preregistration.unnoted_changes(preregistration.record(catalog), record_at(commits[-1]))
    assert not found, f"the working catalog moves decisions without a note: {found}"


def test_every_decision_moved_since_the_record_last_landed_before_the_rule_says_why():
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: the record's history is not here")
    landed = record_at(preregistration.LANDED_BEFORE_RULE)
    assert preregistration.unnoted_changes(preregistration.record(catalog), landed) == []
