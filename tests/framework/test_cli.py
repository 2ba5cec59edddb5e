"""The `claims` command line: every subcommand's happy path and its one-line errors.

Each command runs as `python -m claims` in a subprocess, as a user runs it. Nothing here writes
into the checkout: `list`, `show` and `render` read a copy of the committed report; `run`,
`merge` and `new` work in scratch projects that hold a copy of the `claims` package (first on
sys.path there), so the real catalog, tests and reports/ are never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from claims.cli.scaffold import ScaffoldError, add_to_catalog
from claims.report import html, markdown
from claims.report.document import load
from tests.common.scratch_projects import (
    INI,
    ROOT,
    assert_one_line_error,
    claims,
    copy_package,
    make_project,
)

COMMANDS = ("check", "list", "show", "render", "html", "run", "merge", "new", "import-source")
# Commands whose options live in their module (also `python -m <module>`).
DELEGATED = ("stability", "drift", "preregistration")

# A catalog for the scratch project of `run` and `merge`: it replaces claims/catalog there, so
# `claims merge` (which evaluates against claims.catalog) sees the same claims as the shards.
TOY_CATALOG = """
from claims.engine import sources
from claims.engine.records import Claim, Finding, Proposition, Reading, Role, SourceRef, Unchecked, blind


def proposition(name, role=Role.ASSERTED, expected=Finding.HOLDS):
    asserted = role is Role.ASSERTED
    return Proposition(
        id=f"toy/{name}",
        statement=f"{name} statement",
        scope={},
        role=role,
        expected=expected,
        formalizes=("S09",) if asserted else (),
        reading=Reading("clipped to zero", "the toy's reading") if asserted else None,
        registration=blind("a toy expectation"),
        power="a toy design: two seeds detect nothing small",
    )


CLAIM = Claim(
    id="toy",
    title="Toy claim",
    source=(SourceRef("gradient-hacking", "S09", "the error signal at that neuron is clipped to zero"),),
    statement="A toy claim for command-line tests.",
    propositions=(
        proposition("one"),
        proposition("two"),
        proposition("three"),
        proposition("four", Role.BEYOND, Finding.FAILS),
    ),
)

CATALOG = (CLAIM,)
POST = "gradient-hacking"
NOT_CHECKED = tuple(
    Unchecked(POST, s, "outside the toy") for s in sources.load(POST).sentences if s != "S09"
)
"""

TOY_TESTS = """
import pytest


@pytest.mark.claim("toy/one", kind="symbolic")
def test_one(measurements):
    measurements.record("answer", 42, "units")


@pytest.mark.claim("toy/two", kind="construction")
def test_two():
    pass


@pytest.mark.claim("toy/three", kind="experiment")
def test_three():
    pass


@pytest.mark.claim("toy/four", kind="construction")
def test_four():
    assert 1 == 2, "one is not two"
"""


def findings(document: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["finding"] for c in document["claims"] for p in c["propositions"]}


def shown(value: Any) -> str:
    """How `show` prints a number: integral floats as integers, others in full."""
    integral = isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    return str(int(value)) if integral else str(value)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A copy of the committed report (and its figures) in tmp_path/reports/."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(ROOT / "reports" / "claims.json", folder / "claims.json")
    if (ROOT / "reports" / "figures").is_dir():
        shutil.copytree(ROOT / "reports" / "figures", folder / "figures")
    return folder / "claims.json"


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project: the claims package with the toy catalog, its tests and a pytest.ini."""
    root = tmp_path_factory.mktemp("toy-project")
    copy_package(root)
    (root / "claims" / "catalog" / "__init__.py").write_text(TOY_CATALOG)
    (root / "tests" / "claims" / "toy").mkdir(parents=True)
    (root / "tests" / "claims" / "toy" / "test_toy.py").write_text(TOY_TESTS)
    (root / "pytest.ini").write_text(INI)
    (root / "conftest.py").write_text('pytest_plugins = ["claims.pytest.plugin"]\n')
    return root


@pytest.fixture(scope="module")
def toy_full_run(toy: Path) -> subprocess.CompletedProcess[str]:
    return claims("run", "--profile", "dev", "--", "--claims-report-dir", "full", cwd=toy)


# --- help and usage errors (exit status 2) ------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS, *DELEGATED])
def test_every_command_has_help(command: str | None):
    result = claims(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: claims {command or ''}".rstrip())
    if command is None:
        assert all(name in result.stdout for name in (*COMMANDS, *DELEGATED))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), ["COMMAND"]),
        (("frobnicate",), ["frobnicate"]),
        (("list", "--no-such-option"), ["--no-such-option"]),
        (("show",), ["id"]),
        (("run", "--shard", "3/2"), ["--shard", "3/2"]),
        (("run", "--shard", "0/2"), ["--shard", "0/2"]),
        (("run", "--shard", "half"), ["--shard", "half"]),
        (("run", "--workers", "0"), ["--workers"]),
        (("run", "--profile", "fastest"), ["fastest", "ci"]),
        (("merge", "shard.json"), ["-o"]),
        (("merge", "shard.json", "-o", "out"), ["-o out", "JSON"]),
        (("new", "Toy_Claim"), ["Toy_Claim", "kebab-case"]),
        (("new", "toy--claim"), ["toy--claim", "kebab-case"]),
        (("new", "3d-claim"), ["3d-claim", "module"]),
        (("new", "toy-claim", "--source", "My Essay"), ["--source", "My Essay", "kebab-case"]),
        (("import-source", "essay.txt"), ["--name"]),
        (("import-source", "essay.txt", "--name", "../essay"), ["../essay", "kebab-case"]),
        (("check", "tests"), ["unrecognized arguments", "tests"]),
        (("drift", "fresh.json"), ["COMMITTED.json"]),
        (("stability", "depth", "--run", "deep:3", "--out", "o.json"), ["derandomized"]),
        (("stability", "depth", "--out", "o.json"), ["--run"]),
        (("preregistration", "--rewrite"), ["--rewrite"]),
    ],
)
def test_usage_mistakes_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], words):
    # An empty folder: were the check to slip, nothing could be scaffolded or run here.
    assert_one_line_error(claims(*args, cwd=tmp_path), 2, *words)


# --- list and show ------------------------------------------------------------------------------


def test_list_shows_every_proposition_with_its_last_finding(report: Path):
    document = load(report)
    # Committed findings all equal their expectations: make one differ, to tell them apart.
    changed = document["claims"][0]["propositions"][0]
    changed["finding"] = "ERROR"
    report.write_text(json.dumps(document))
    result = claims("list", "--report", str(report))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for claim in document["claims"]:
        assert f"{claim['id']}  {claim['verdict']}  ({claim['strength'] or '-'})" in lines
        for proposition in claim["propositions"]:
            [line] = [line for line in lines if proposition["id"] in line.split()]
            assert line.split()[:2] == [proposition["finding"], proposition["role"]]
    [line] = [line for line in lines if changed["id"] in line.split()]
    assert line.endswith(f"(expected {changed['expected']})")


@pytest.mark.parametrize("command", [("list",), ("show", "activation-scaling")])
def test_a_closed_pipe_is_a_normal_end(report: Path, command: tuple[str, ...]):
    # `claims show X | head -1`: the reader is gone before the output is written; git and grep
    # end quietly with success, and so must claims (no "[Errno 32] Broken pipe", no traceback).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "claims", *command, "--report", str(report)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # no reader left: the first write raises BrokenPipeError
    _, stderr = process.communicate(timeout=300)
    assert (process.returncode, stderr.decode()) == (0, "")


def test_list_reads_reports_claims_json_by_default(report: Path):
    result = claims("list", cwd=report.parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(Path("reports") / "claims.json"))


def test_show_a_proposition_prints_all_its_evidence(report: Path):
    document = load(report)
    propositions = [p for c in document["claims"] for p in c["propositions"]]
    # One with a counterexample and measurements with units; one with a table.
    failing = next(
        p
        for p in propositions
        if any(e["counterexample"] and set(e["units"].values()) - {""} for e in p["evidence"])
    )
    tabled = next(p for p in propositions if any(e["tables"] for e in p["evidence"]))
    for proposition in (failing, tabled):
        result = claims("show", proposition["id"], "--report", str(report))
        assert result.returncode == 0, result.stderr
        text = result.stdout
        assert proposition["statement"] in text and proposition["rationale"] in text
        for value in (proposition["role"], proposition["expected"], proposition["finding"]):
            assert value in text
        assert f"formalizes: {', '.join(proposition['formalizes']) or '-'}" in text
        registration = proposition["registration"]
        assert f"registered: {registration['provenance']}" in text
        assert registration["known"] in text
        if proposition["reading"]:
            assert f"reading: “{proposition['reading']['words']}” — " in text
        assert f"key: {proposition['key'] or '-'}" in text
        matches = {True: "yes", False: "no", None: "- (not run)"}
        assert f"matches expectation: {matches[proposition['matches_expectation']]}" in text
        assert all(f"{k}: {v}" in text for k, v in proposition["scope"].items())
        for evidence in proposition["evidence"]:
            assert evidence["test"] in text and evidence["kind"] in text
            for name, unit in evidence["units"].items():
                line = next(li for li in text.splitlines() if li.strip().startswith(f"{name} = "))
                assert line.rstrip().endswith(unit)
            if evidence["counterexample"]:
                assert all(part in text for part in evidence["counterexample"].splitlines())
                assert evidence["reproduce"] in text
            for name, table in evidence["tables"].items():
                assert name in text and all(str(column) in text for column in table["columns"])
                assert all(shown(cell) in text for row in table["rows"] for cell in row)


def test_show_a_claim_prints_its_source_verdict_and_propositions(report: Path):
    claim = load(report)["claims"][0]
    result = claims("show", claim["id"], "--report", str(report))
    assert result.returncode == 0, result.stderr
    for text in (claim["title"], claim["verdict"], claim["verdict_reason"], claim["statement"]):
        assert text in result.stdout
    assert f"key number: {claim['key'] or '-'}" in result.stdout
    assert f"what survives: {claim['survives']['text']}" in result.stdout
    assert all(
        f"{ref['sentence']} ({ref['document']}) “{ref['quote']}”" in result.stdout
        for ref in claim["source"]
    )
    assert all(f"proposition: {p['id']}" in result.stdout for p in claim["propositions"])


def test_show_prints_an_observed_non_finite_value_as_such(tmp_path: Path):
    from tests.common.documents import a_document

    document = a_document()
    proposition = document["claims"][0]["propositions"][0]
    evidence = proposition["evidence"][0]
    evidence["measurements"].update({"derivative": "nan", "slope": "-inf"})
    evidence["units"].update({"derivative": "", "slope": "1/s"})
    evidence["nonfinite"] = ["derivative", "slope"]
    (tmp_path / "claims.json").write_text(json.dumps(document, allow_nan=False))
    result = claims("show", proposition["id"], "--report", str(tmp_path / "claims.json"))
    assert result.returncode == 0, result.stderr
    assert "      derivative = NaN  (observed non-finite)" in result.stdout.splitlines()
    assert "      slope = −∞ 1/s  (observed non-finite)" in result.stdout.splitlines()
    assert "      m = 1.5 s" in result.stdout.splitlines()


def test_show_an_unknown_id_fails_with_a_suggestion(report: Path):
    proposition = load(report)["claims"][0]["propositions"][0]["id"]
    result = claims("show", proposition[:-2], "--report", str(report))
    assert_one_line_error(result, 1, repr(proposition[:-2]), "did you mean", proposition)


# --- unreadable reports (exit status 1) -----------------------------------------------------------

BROKEN_REPORTS = {
    "missing": None,
    "corrupt": "{not json",
    "wrong-schema": json.dumps({"schema_version": 1, "run": {}, "claims": []}),
    "malformed": json.dumps(
        {"schema_version": 3, "run": {}, "documents": [], "claims": [{"id": "x"}]}
    ),
}


@pytest.mark.parametrize("command", [("list",), ("show", "x"), ("render",)])
@pytest.mark.parametrize("broken", BROKEN_REPORTS)
def test_an_unreadable_report_fails_with_one_line(tmp_path: Path, command, broken: str):
    path = tmp_path / "claims.json"
    if BROKEN_REPORTS[broken] is not None:
        path.write_text(BROKEN_REPORTS[broken])
    (tmp_path / "claims.md").write_text("old\n")
    assert_one_line_error(claims(*command, "--report", str(path)), 1, str(path))
    assert (tmp_path / "claims.md").read_text() == "old\n"  # a failed render leaves old files


# --- render -------------------------------------------------------------------------------------


def test_render_rewrites_markdown_and_html_beside_the_json(report: Path):
    before = report.read_bytes()
    report.with_suffix(".md").write_text("stale\n")
    result = claims("render", "--report", str(report))
    assert result.returncode == 0, result.stderr
    document = load(report)
    assert report.with_suffix(".md").read_text() == markdown.render(document)
    assert report.read_bytes() == before
    expected = html.render(document, report.parent / "figures")
    assert report.with_suffix(".html").read_text() == expected


# --- run and merge (need the plugin's --claims-shard and claims.report.merge) -------------------


def test_run_sets_the_profile_and_passes_pytest_arguments(toy: Path, toy_full_run):
    assert toy_full_run.returncode == 0, toy_full_run.stdout + toy_full_run.stderr
    document = load(toy / "full" / "claims.json")
    assert document["run"]["hypothesis_profile"] == "dev"
    assert document["run"]["complete"] is True
    assert findings(document) == {
        "toy/one": "HOLDS",
        "toy/two": "HOLDS",
        "toy/three": "HOLDS",
        "toy/four": "FAILS",
    }


def test_run_with_workers_runs_pytest_xdist(toy: Path):
    result = claims("run", "--workers", "2", "--", "--claims-report-dir", "xdist", cwd=toy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert load(toy / "xdist" / "claims.json")["run"]["workers"] == 2


def test_run_exits_with_pytests_status(toy: Path):
    # pytest exits 5 when no test is selected; 1 when a test fails.
    assert claims("run", "-k", "no_such_test", cwd=toy).returncode == 5
    failing = claims("run", "--", "--runxfail", "--claims-report-dir", "runxfail", cwd=toy)
    assert failing.returncode == 1, failing.stdout + failing.stderr


def test_shard_reports_merge_into_the_unsharded_report(toy: Path, toy_full_run):
    shards = []
    for index in (1, 2):
        folder = f"shard{index}"
        result = claims(
            "run", "--shard", f"{index}/2", "--", "--claims-report-dir", folder, cwd=toy
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # A shard deselects the other shard's tests, so it is a partial report.
        shards.append(toy / folder / "partial" / "claims.json")
        assert 0 < load(shards[-1])["run"]["tests_run"] < 4
    out = toy / "merged" / "claims.json"
    result = claims("merge", *map(str, shards), "-o", str(out), cwd=toy)
    assert result.returncode == 0, result.stderr
    merged, full = load(out), load(toy / "full" / "claims.json")
    assert merged["run"]["complete"] is True
    assert findings(merged) == findings(full)
    assert [c["verdict"] for c in merged["claims"]] == [c["verdict"] for c in full["claims"]]
    assert out.with_suffix(".md").read_text() == markdown.render(merged)


def test_run_takes_an_option_value_for_a_value_not_for_a_test_path(toy: Path, tmp_path: Path):
    # `--claims-report-dir build/s1` names an existing folder: still no test path, so the run
    # collects tests/claims alone, not the other tests beside it.
    project = tmp_path / "project"
    for name in ("claims", "tests", "pytest.ini", "conftest.py"):
        copy = shutil.copytree if (toy / name).is_dir() else shutil.copyfile
        copy(toy / name, project / name)
    (project / "benchmarks").mkdir()
    (project / "benchmarks" / "test_slow.py").write_text(
        "def test_not_a_claim_test():\n    assert False, 'collected beside tests/claims'\n"
    )
    (project / "build" / "s1").mkdir(parents=True)
    result = claims("run", "--", "--claims-report-dir", "build/s1", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_not_a_claim_test" not in result.stdout
    assert load(project / "build" / "s1" / "claims.json")["run"]["complete"] is True


def test_merge_refuses_an_output_that_is_one_of_its_shards(report: Path):
    before = report.read_bytes()
    other = report.parent.parent / "other" / "claims.json"
    other.parent.mkdir()
    other.write_bytes(before)
    result = claims("merge", str(other), str(report), "-o", str(report))
    assert_one_line_error(result, 2, str(report), "is one of the shards")
    assert report.read_bytes() == before


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_merge_of_an_unreadable_shard_fails_with_one_line(tmp_path: Path, report: Path, broken):
    shard = tmp_path / "shard.json"
    if BROKEN_REPORTS[broken] is not None:
        shard.write_text(BROKEN_REPORTS[broken])
    result = claims("merge", str(report), str(shard), "-o", str(tmp_path / "out" / "claims.json"))
    assert_one_line_error(result, 1, str(shard))
    assert not (tmp_path / "out").exists()


# --- new ----------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (caches aside), by relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_new_scaffolds_a_claim_whose_proposition_shows_as_untested(project: Path):
    before = files(project)
    result = claims("new", "toy-claim", cwd=project)
    assert result.returncode == 0, result.stderr
    module = project / "claims" / "catalog" / "toy_claim.py"
    init = project / "claims" / "catalog" / "__init__.py"
    assert 'ID = "toy-claim"' in module.read_text()
    # All it writes may go into the pre-registration commit: the catalog module and CATALOG.
    after = files(project)
    assert sorted(set(after) - set(before)) == ["claims/catalog/toy_claim.py"]
    changed = [path for path in before if after.get(path) != before[path]]
    assert changed == ["claims/catalog/__init__.py"]
    assert "    toy_claim,\n" in init.read_text()
    assert "    differential_reinforcement.CLAIM,\n    toy_claim.CLAIM,\n)" in init.read_text()
    # An asserted proposition formalizing the first sentence the catalog does not leave unchecked.
    assert "role=Role.ASSERTED" in module.read_text()
    assert 'formalizes=("S02",)' in module.read_text() and "key=Key(" in module.read_text()
    config = str(ROOT / "pyproject.toml")
    lint = [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--config",
        config,
        "--check",
        str(module),
        str(init),
    ]
    formatted = subprocess.run(lint, cwd=ROOT, capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    env = {**os.environ, "PYTHONPATH": str(project), "HYPOTHESIS_PROFILE": "dev"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/claims", "--claims-report-dir", "out"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # A full run with a proposition that no test checks is red, and says which one.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "toy-claim/example: expected HOLDS, found UNTESTED" in run.stdout
    document = load(project / "out" / "claims.json")
    assert findings(document)["toy-claim/example"] == "UNTESTED"
    assert {c["id"]: c["verdict"] for c in document["claims"]}["toy-claim"] == "INCONCLUSIVE"


def test_new_prints_one_sequence_of_commits(project: Path):
    result = claims("new", "toy-claim", cwd=project)
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("Next steps, in this order:\n", 1)[1]
    numbered = re.findall(r"^  (\d)\. ", steps, flags=re.MULTILINE)
    assert numbered == [str(n) for n in range(1, 8)]
    order = [
        "claims preregistration --write",
        "claims check",
        "UNTESTED",
        "Commit the catalog alone",
        "second catalog-only commit",
        "tests/claims/toy_claim/",
        "make report",
        "commit the tests and reports/ together",
    ]
    places = [steps.find(words) for words in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places, strict=True))
    # The catalog is committed without tests; the tests never with the catalog's first commit.
    assert "on its own" not in steps and "the catalog, the tests" not in steps
    assert steps.count("ommit the catalog") == 1


def test_new_refuses_an_id_that_exists(project: Path):
    init = project / "claims" / "catalog" / "__init__.py"
    before = init.read_text()
    result = claims("new", "inactive-relu-zero-gradient", cwd=project)
    assert_one_line_error(result, 1, "inactive-relu-zero-gradient", "already exists")
    assert init.read_text() == before
    assert not (project / "claims" / "catalog" / "inactive_relu_zero_gradient_2.py").exists()
    assert claims("new", "toy-claim", cwd=project).returncode == 0
    assert_one_line_error(claims("new", "toy-claim", cwd=project), 1, "already exists")


def test_new_refuses_to_run_outside_a_project(tmp_path: Path):
    assert_one_line_error(claims("new", "toy-claim", cwd=tmp_path), 1, "project root")
    assert list(tmp_path.iterdir()) == []


def test_catalog_edit_handles_a_one_line_catalog():
    text = "from claims.catalog import beta\n\nCATALOG = (beta.CLAIM,)\n"
    edited = add_to_catalog(text, "alpha", Path("catalog.py"))
    assert edited == textwrap.dedent(
        """\
        from claims.catalog import (
            alpha,
            beta,
        )

        CATALOG = (
            beta.CLAIM,
            alpha.CLAIM,
        )
        """
    )
    with pytest.raises(ScaffoldError, match="by hand"):
        add_to_catalog("CATALOG = ()\n", "alpha", Path("catalog.py"))


# --- check --------------------------------------------------------------------------------------

# The toy claim as a catalog module of its own (claims/catalog/toy.py), as the pre-registration
# record wants every claim: a scratch project whose every proposition is bound by TOY_TESTS.
TOY_MODULE, _catalog, _ = TOY_CATALOG.partition("\nCATALOG = (CLAIM,)\n")
assert _catalog, "TOY_CATALOG defines CLAIM, then CATALOG = (CLAIM,)"
TOY_INIT = """
from claims.catalog import toy
from claims.engine import sources
from claims.engine.records import Unchecked

CATALOG = (toy.CLAIM,)
POST = "gradient-hacking"
NOT_CHECKED = tuple(
    Unchecked(POST, s, "outside the toy") for s in sources.load(POST).sentences if s != "S09"
)
"""


@pytest.fixture
def bound(tmp_path: Path) -> Path:
    """A scratch project whose catalog is registered and whose every proposition a test binds."""
    root = tmp_path / "bound"
    copy_package(root)
    (root / "claims" / "catalog" / "toy.py").write_text(TOY_MODULE)
    (root / "claims" / "catalog" / "__init__.py").write_text(TOY_INIT)
    (root / "tests" / "claims" / "toy").mkdir(parents=True)
    (root / "tests" / "claims" / "toy" / "test_toy.py").write_text(TOY_TESTS)
    (root / "pytest.ini").write_text(INI)
    (root / "conftest.py").write_text('pytest_plugins = ["claims.pytest.plugin"]\n')
    registered = claims("preregistration", "--write", cwd=root)
    assert registered.returncode == 0, registered.stderr
    return root


def test_check_of_a_bound_registered_catalog_exits_0(bound: Path):
    result = claims("check", cwd=bound)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "1 claims, 4 propositions; 4 claim tests collected (none run) bind 4 of them; "
        "0 problem(s), 0 UNTESTED"
    ]
    assert not (bound / "out").exists(), "check runs no test and writes no report"


def test_check_lists_exactly_a_scaffolded_claims_propositions_as_untested(bound: Path):
    assert claims("new", "toy-claim", cwd=bound).returncode == 0
    # Before its decisions are recorded: the record differs (a problem, status 1).
    result = claims("check", cwd=bound)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[:-1] == [
        "pre-registration: claims.toy-claim: in the catalog, not registered "
        "(`claims preregistration --write` records it)",
        "UNTESTED toy-claim/example: no test in tests/claims binds it",
    ]
    # Recorded (step 2 of `claims new`'s sequence): UNTESTED alone is status 3.
    assert claims("preregistration", "--write", cwd=bound).returncode == 0
    result = claims("check", cwd=bound)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.splitlines()[:-1] == [
        "UNTESTED toy-claim/example: no test in tests/claims binds it"
    ]
    assert result.stdout.splitlines()[-1].endswith("0 problem(s), 1 UNTESTED")
    # A test that binds it, in the folder named after the catalog module: all is well.
    folder = bound / "tests" / "claims" / "toy_claim"
    folder.mkdir()
    (folder / "test_example.py").write_text(
        "import pytest\n\n\n"
        '@pytest.mark.claim("toy-claim/example", kind="construction")\n'
        "def test_example():\n    pass\n"
    )
    result = claims("check", cwd=bound)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "UNTESTED" in result.stdout and "toy-claim" not in result.stdout


def test_check_counts_a_per_cell_parametrized_binding(bound: Path):
    # proposition_params builds each case's mark from the catalog at import: no literal id.
    (bound / "tests" / "claims" / "toy" / "test_toy.py").write_text(
        "import pytest\n\n"
        "from claims.catalog import toy\n"
        "from claims.pytest.parametrize import proposition_params\n\n\n"
        '@pytest.mark.parametrize("name", proposition_params(toy.CLAIM, ["one", "two"], '
        '"construction"))\n'
        "def test_cell(name):\n    pass\n"
    )
    result = claims("check", cwd=bound)
    assert result.returncode == 3, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == [
        "UNTESTED toy/three",
        "UNTESTED toy/four",
    ]


def test_check_of_a_broken_catalog_is_one_line(bound: Path):
    module = bound / "claims" / "catalog" / "toy.py"
    module.write_text(module.read_text().replace('"clipped to zero"', '"clipped to nothing"'))
    assert_one_line_error(claims("check", cwd=bound), 1, "toy.py", "clipped to nothing")


def test_check_names_a_test_that_binds_no_proposition(bound: Path):
    (bound / "tests" / "claims" / "toy" / "test_typo.py").write_text(
        'import pytest\n\n\n@pytest.mark.claim("toy/fiev", kind="construction")\n'
        "def test_typo():\n    pass\n"
    )
    result = claims("check", cwd=bound)
    assert result.returncode == 1, result.stdout + result.stderr
    (problem,) = result.stdout.splitlines()[:-1]
    assert problem.startswith("collection: tests/claims/toy/test_typo.py: ")
    assert "unknown proposition id 'toy/fiev'" in problem


def test_check_outside_a_project_is_one_line(tmp_path: Path):
    assert_one_line_error(claims("check", cwd=tmp_path), 1, "tests/claims", "project root")


# --- subcommands whose options live in their modules --------------------------------------------


def test_preregistration_checks_the_record(bound: Path):
    assert claims("preregistration", cwd=bound).returncode == 0
    module = bound / "claims" / "catalog" / "toy.py"
    module.write_text(module.read_text().replace('"two"),', '"two", expected=Finding.FAILS),'))
    result = claims("preregistration", cwd=bound)
    assert result.returncode == 1
    assert "toy/two.expected: registered 'HOLDS', catalog now 'FAILS'" in result.stderr


def test_html_and_drift_read_a_report_folder(report: Path):
    assert claims("render", "--report", str(report)).returncode == 0
    html = report.with_suffix(".html")
    html.write_text("stale\n")
    result = claims("html", str(report.parent))
    assert result.returncode == 0, result.stderr
    assert html.read_text() != "stale\n"
    result = claims("drift", str(report), str(report))
    assert result.returncode == 0, result.stderr
    assert "matches the fresh run" in result.stdout
    html.write_text(html.read_text().replace("</body>", "<p>edited</p></body>"))
    result = claims("drift", str(report), str(report))
    assert result.returncode == 1 and "edited by hand" in result.stderr


def test_stability_reports_an_unreadable_reference(tmp_path: Path):
    missing = tmp_path / "missing.json"
    args = ("stability", "depth", "--run", "dev:1", "--out", str(tmp_path / "o.json"))
    result = claims(*args, "--reference", str(missing), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("claims stability: error: ") and str(missing) in result.stderr
    assert not (tmp_path / "o.json").exists()
