"""The deep tier's committed evidence decides only while fresh (tests/common/chat_runs.py): its
design is the catalog's and every code and data file it recorded is unchanged. Synthetic
documents, no model run."""

import dataclasses

import pytest

from claims.experiments.chat import deep, deep_parts
from claims.experiments.chat.evidence import file_sha256
from tests.common import chat_runs
from tests.common.chat_runs import decide_above_zero


def fresh_document() -> dict:
    """A document as `make deep` would write it now, at the catalog's deep design."""
    return {
        "design": {
            "sizes": dataclasses.asdict(deep_parts.SIZES["deep"]),
            "seed": chat_runs.chat_design.GRPO_SEED,
            "learning_rates": dict(deep_parts.LEARNING_RATES),
        },
        "provenance": {
            "files": {
                str(path.relative_to(chat_runs.ROOT)): file_sha256(path) for path in deep.DEPENDS_ON
            }
        },
    }


def test_evidence_of_the_catalogs_design_over_unchanged_files_is_fresh():
    assert chat_runs.staleness(fresh_document()) == []


@pytest.mark.parametrize(
    "edit, said",
    [
        (lambda d: d["design"]["sizes"].update(steps=119), "steps = 119"),
        (lambda d: d["design"].update(seed=1), "seed 1"),
        (lambda d: d["design"]["learning_rates"].update(adamw=1e-6), "lr adamw = 1e-06"),
        (
            lambda d: d["provenance"]["files"].update(
                {"claims/experiments/chat/grpo.py": "0" * 64}
            ),
            "claims/experiments/chat/grpo.py changed",
        ),
        (
            lambda d: d["provenance"]["files"].pop("claims/data/grpo-prompts.txt"),
            "claims/data/grpo-prompts.txt is read now but was not then",
        ),
        (
            lambda d: d["provenance"]["files"].update({"claims/gone.py": "0" * 64}),
            "claims/gone.py is gone",
        ),
    ],
)
def test_evidence_of_another_design_or_over_changed_files_is_stale_naming_why(edit, said):
    document = fresh_document()
    edit(document)
    problems = chat_runs.staleness(document)
    assert any(said in p for p in problems), problems


class _Recorded:
    def __init__(self):
        self.values = {}

    def record(self, name, value, unit=""):
        self.values[name] = value


def test_the_deep_behaviour_decision_is_welchs_interval_against_zero():
    from claims.engine.evidence import Inconclusive

    up, flat = [1.0, 1.2, 0.9, 1.1, 1.05], [0.0, 0.1, -0.1, 0.05, -0.05]
    recorded = _Recorded()
    decide_above_zero(up, flat, "x", recorded, "effect")
    assert recorded.values["effect_low"] > 0 and recorded.values["effect"] == pytest.approx(1.05)
    with pytest.raises(AssertionError, match="below 0"):
        decide_above_zero(flat, up, "x", _Recorded(), "effect")
    with pytest.raises(Inconclusive, match="straddles 0"):
        decide_above_zero([1.0, -1.0, 0.5, -0.4], [0.0, 0.1, -0.1, 0.0], "x", _Recorded(), "e")
