"""The mutation meta-test's judgement (tests/framework/mutants.py): only the declared moves kill.

``make mutants`` runs the mutants themselves; here, their verdicts on made-up runs, and that
each mutant's plant and tests are still there.
"""

import textwrap

from tests.common.suite_runs import run_suite
from tests.framework.mutants import MUTANTS, Mutant, Outcome, judge

MUTANT = Mutant("m", "a fault", "", ("tests/claims",), {"c/p finding": "FAILS"})
BASELINE = Outcome({"c/p finding": "HOLDS", "c verdict": "SUPPORTED"}, set(), 0)


def test_a_mutant_that_moves_its_declared_finding_is_killed():
    mutated = Outcome({"c/p finding": "FAILS", "c verdict": "REFUTED"}, {"t::x"}, 1)
    row = judge(MUTANT, BASELINE, mutated)
    assert row["killed"] and row["missed"] == []
    assert row["tests_turned_red"] == ["t::x"]
    assert row["decisions_flipped"]["c verdict"] == {"from": "SUPPORTED", "to": "REFUTED"}


def test_a_mutant_that_only_crashes_survives():
    mutated = Outcome({"c/p finding": "ERROR", "c verdict": "INCONCLUSIVE"}, {"t::x"}, 1)
    row = judge(MUTANT, BASELINE, mutated)
    assert not row["killed"] and row["missed"] == ["c/p finding -> FAILS"]


def test_a_declared_red_test_that_stays_green_survives():
    mutant = Mutant("m", "a fault", "", ("tests/framework",), red=frozenset({"t::y"}))
    row = judge(mutant, BASELINE, Outcome(dict(BASELINE.decisions), {"t::x"}, 1))
    assert not row["killed"] and row["missed"] == ["t::y red"]


def test_a_value_the_baseline_already_had_is_no_kill():
    mutant = Mutant("m", "a fault", "", ("tests/claims",), {"c/p finding": "HOLDS"})
    row = judge(mutant, BASELINE, Outcome(dict(BASELINE.decisions), set(), 0))
    assert not row["killed"]


def test_there_are_eight_mutants_at_the_torch_level_and_in_the_framework():
    assert len(MUTANTS) >= 8 and len({m.name for m in MUTANTS}) == len(MUTANTS)
    levels = {m.breaks.split(":")[0] for m in MUTANTS}
    assert {"framework", "torch"} <= levels
    assert all(m.flips or m.red for m in MUTANTS), "every mutant declares what must move"


def test_every_mutant_plants_code_that_loads_under_tests_that_exist(tmp_path):
    """What `make mutants` runs, checked in `make test` without running it: each plant's module
    code executes (its imports and the attributes it reads exist) and every path collects.

    Not a kill: the chat model's mutants re-run SmolLM2 for minutes (docs/integrity.md, "Proving the suite").
    """
    for mutant in MUTANTS:
        exec(compile(textwrap.dedent(mutant.plant), f"<plant {mutant.name}>", "exec"), {})
    paths = tuple(sorted({path for mutant in MUTANTS for path in mutant.paths}))
    result = run_suite(tmp_path, "--collect-only", paths=paths)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
