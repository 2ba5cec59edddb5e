"""What a report says besides verdicts: keys, what survives, grids, and every sentence's verdict.

All of it is computed from findings and measurements (claims.engine.verdicts), never written by hand.
"""

import pytest

from claims.engine.records import (
    Claim,
    Finding,
    Key,
    SourceRef,
    Unchecked,
)
from claims.engine.registry import CatalogError, build_registry
from claims.engine.verdicts import evaluate
from claims.report.sections import grid_tables, sentence_verdicts, survives
from tests.common.toy_claims import (
    ESSAY,
    GRID,
    GRID_CLAIM,
    SENTENCES,
    asserted,
    beyond,
    grid_findings,
    ran,
)


def test_what_survives_groups_holding_cells_by_the_first_axis():
    result = ran(GRID_CLAIM, grid_findings(), {"ratio": 1.136})
    assert result.verdict == "REFUTED"
    survived = survives(result)
    assert survived["text"] == (
        "inactive-weights-still holds for ReLU with SGD, Adam, AdamW; GELU with SGD — fails for "
        "GELU with Adam, AdamW. Also holds: relu-derivative-negative"
    )
    assert survived["fails"] == ["grid/gelu-adam", "grid/gelu-adamw"]
    assert survived["grids"][GRID.name]["fails"] == [
        {"activation": "GELU", "optimizer": "Adam"},
        {"activation": "GELU", "optimizer": "AdamW"},
    ]
    # The refuted claim's key is the first failing asserted proposition's, with its format spec.
    assert result.key == "largest D/A ratio: 1.14"


def test_nothing_asserted_survives_when_every_asserted_proposition_fails():
    findings = {p.id: Finding.FAILS for p in GRID_CLAIM.propositions}
    result = ran(GRID_CLAIM, findings, {"ratio": 2.0})
    assert survives(result)["text"] == "nothing asserted survives"


def test_a_grid_table_lists_values_in_catalog_order_and_one_row_per_cell():
    (table,) = grid_tables(ran(GRID_CLAIM, grid_findings(), {"ratio": 0.5}))
    assert table["axes"] == ["activation", "optimizer"]
    assert table["values"] == {
        "activation": ["ReLU", "GELU"],
        "optimizer": ["SGD", "Adam", "AdamW"],
    }
    first = table["cells"][0]
    assert first == {
        "cell": {"activation": "ReLU", "optimizer": "SGD"},
        "proposition": "grid/relu-sgd",
        "role": "asserted",
        "expected": "HOLDS",
        "finding": "HOLDS",
        "matches_expectation": True,
        "key": "largest D/A ratio: 0.50",
    }
    assert [c["matches_expectation"] for c in table["cells"]].count(False) == 2


def test_a_qualified_key_says_what_holds_then_where_it_stops():
    claim = Claim(
        "q",
        "Q",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (
            asserted("q", "exact", key=Key("max |dL/dz|: {signal}")),
            beyond("q", "batched", key=Key("share moved: {share}")),
        ),
    )
    findings = {"q/exact": Finding.HOLDS, "q/batched": Finding.FAILS}
    result = ran(claim, findings, {"signal": 0.0, "share": 0.123456})
    assert result.verdict == "QUALIFIED"
    assert result.key == "max |dL/dz|: 0; does not carry to: share moved: 0.1235"
    supported = ran(claim, {"q/exact": Finding.HOLDS, "q/batched": Finding.HOLDS}, {"signal": 3.0})
    assert supported.key == "max |dL/dz|: 3"


def test_a_key_naming_an_unrecorded_measurement_is_missing_not_a_dash():
    claim = Claim(
        "k",
        "K",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (asserted("k", "exact", key=Key("value: {recorded}, other: {forgotten}")),),
    )
    result = ran(claim, {"k/exact": Finding.HOLDS}, {"recorded": 1.0})
    (proposition,) = result.propositions
    assert (proposition.key, proposition.missing) == (None, ("forgotten",))
    not_run = evaluate(claim, [], tested=set())
    assert (not_run.propositions[0].key, not_run.propositions[0].missing) == (None, ())


def test_every_sentence_is_accounted_for_across_claims():
    one = Claim(
        "one",
        "One",
        (SourceRef("doc", "S01", "one sentence"), SourceRef("doc", "S02", "another")),
        "s",
        (
            asserted("one", "a", formalizes=("S01", "S02"), key=Key("a = {a}")),
            asserted("one", "b", formalizes=("S02",)),
        ),
    )
    two = Claim(
        "two",
        "Two",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (asserted("two", "c", key=Key("c = {c}")),),
    )
    registry = build_registry(
        [one, two], {"doc": SENTENCES}, not_checked=[Unchecked("doc", "S03", "framing")]
    )
    results = [
        ran(one, {"one/a": Finding.HOLDS, "one/b": Finding.HOLDS}, {"a": 1.0}),
        ran(two, {"two/c": Finding.FAILS}, {"c": 2.0}),
    ]
    (document,) = sentence_verdicts(results, registry)
    assert (document["name"], document["path"]) == ("doc", "claims/data/sources/doc.txt")
    s01, s02, s03 = document["sentences"]
    assert s01 == {
        "id": "S01",
        "text": "one sentence.",
        "checked": True,
        "verdict": "REFUTED",
        "claims": ["one", "two"],
        "propositions": ["one/a", "two/c"],
        "beyond": [],
        "key": "c = 2",  # the failing proposition's number decides
        "survives": "Holds: a. fails: c",
        "unchecked": [],
    }
    assert (s02["verdict"], s02["claims"], s02["key"]) == ("SUPPORTED", ["one"], "a = 1")
    assert s03 == {
        "id": "S03",
        "text": "a framing sentence.",
        "checked": False,
        "reason": "framing",
    }


def test_each_document_accounts_for_its_own_sentences_under_the_same_ids():
    # One claim quotes S01 of both documents: its propositions name them document and id.
    both = Claim(
        "both",
        "Both",
        (SourceRef("doc", "S01", "one sentence"), SourceRef("essay", "S01", "an essay")),
        "s",
        (
            asserted("both", "post", formalizes=("doc:S01",), key=Key("p = {p}")),
            asserted("both", "essay", formalizes=("essay:S01",), key=Key("e = {e}")),
        ),
    )
    rest = Claim(
        "rest",
        "Rest",
        (SourceRef("doc", "S02", "another"),),
        "s",
        (asserted("rest", "r", formalizes=("S02",)),),
    )
    registry = build_registry(
        [both, rest],
        {"doc": SENTENCES, "essay": ESSAY},
        not_checked=[Unchecked("doc", "S03", "framing"), Unchecked("essay", "S02", "an aside")],
    )
    results = [
        ran(both, {"both/post": Finding.FAILS, "both/essay": Finding.HOLDS}, {"p": 1.0, "e": 2.0}),
        ran(rest, {"rest/r": Finding.HOLDS}),
    ]
    doc, essay = sentence_verdicts(results, registry)
    assert [d["name"] for d in (doc, essay)] == ["doc", "essay"]
    assert [s["id"] for s in doc["sentences"]] == ["S01", "S02", "S03"]
    assert (doc["sentences"][0]["verdict"], doc["sentences"][0]["key"]) == ("REFUTED", "p = 1")
    assert essay["sentences"][0] == {
        "id": "S01",
        "text": "an essay sentence.",
        "checked": True,
        "verdict": "SUPPORTED",
        "claims": ["both"],
        "propositions": ["both/essay"],
        "beyond": [],
        "key": "e = 2",
        "survives": "Holds: essay",
        "unchecked": [],
    }
    assert essay["sentences"][1] == {
        "id": "S02",
        "text": "a second essay sentence.",
        "checked": False,
        "reason": "an aside",
    }


def test_a_key_naming_an_observed_non_finite_value_says_nan_or_infinity():
    claim = Claim(
        "n",
        "N",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (asserted("n", "exact", key=Key("slope {slope:.3f}, curvature {curvature}, {low}")),),
    )
    measured = {"slope": "nan", "curvature": "inf", "low": "-inf"}
    result = ran(claim, {"n/exact": Finding.FAILS}, measured)
    assert result.propositions[0].key == "slope NaN, curvature ∞, −∞"


def test_a_sentence_says_what_holds_and_fails_of_its_grid_cells():
    # GRID_CLAIM's cells and its plain asserted proposition all formalize S01.
    registry = build_registry(
        [GRID_CLAIM],
        {"doc": SENTENCES},
        not_checked=[Unchecked("doc", "S02", "aside"), Unchecked("doc", "S03", "framing")],
    )
    result = ran(GRID_CLAIM, grid_findings(), {"ratio": 1.136})
    (document,) = sentence_verdicts([result], registry)
    s01 = document["sentences"][0]
    assert s01["verdict"] == "REFUTED"
    assert s01["survives"] == (
        "inactive-weights-still holds for ReLU with SGD, Adam, AdamW; GELU with SGD — fails for "
        "GELU with Adam, AdamW. Also holds: relu-derivative-negative"
    )


def test_a_sentence_whose_beyond_reading_fails_reads_qualified():
    claim = Claim(
        "q",
        "Q",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (
            asserted("q", "exact", key=Key("exact: {signal}")),
            beyond("q", "stronger", formalizes=("S01",), key=Key("stronger: {share}")),
        ),
    )
    registry = build_registry(
        [claim],
        {"doc": SENTENCES},
        not_checked=[Unchecked("doc", "S02", "aside"), Unchecked("doc", "S03", "framing")],
    )
    found = ran(
        claim,
        {"q/exact": Finding.HOLDS, "q/stronger": Finding.FAILS},
        {"signal": 0.0, "share": 0.5},
    )
    (document,) = sentence_verdicts([found], registry)
    s01 = document["sentences"][0]
    assert (s01["verdict"], s01["propositions"], s01["beyond"]) == (
        "QUALIFIED",
        ["q/exact"],
        ["q/stronger"],
    )
    assert s01["key"] == "exact: 0; does not carry to: stronger: 0.5"
    held = ran(claim, {"q/exact": Finding.HOLDS, "q/stronger": Finding.HOLDS}, {"signal": 0.0})
    assert sentence_verdicts([held], registry)[0]["sentences"][0]["verdict"] == "SUPPORTED"


def test_a_clause_left_unchecked_is_shown_beside_its_checked_sentence():
    claim = Claim(
        "c",
        "C",
        (SourceRef("doc", "S01", "one sentence"),),
        "s",
        (asserted("c", "a"),),
    )
    clause = Unchecked("doc", "S01", "no test reaches it", clause="sentence")
    registry = build_registry(
        [claim],
        {"doc": SENTENCES},
        not_checked=[clause, Unchecked("doc", "S02", "aside"), Unchecked("doc", "S03", "framing")],
    )
    (document,) = sentence_verdicts([ran(claim, {"c/a": Finding.HOLDS})], registry)
    s01 = document["sentences"][0]
    assert s01["checked"] is True
    assert s01["unchecked"] == [{"clause": "sentence", "reason": "no test reaches it"}]


def test_a_clause_must_be_verbatim_and_its_sentence_checked():
    claim = Claim("c", "C", (SourceRef("doc", "S01", "one sentence"),), "s", (asserted("c", "a"),))
    rest = [Unchecked("doc", "S02", "aside"), Unchecked("doc", "S03", "framing")]
    with pytest.raises(CatalogError, match="clause 'sentences' is not verbatim"):
        build_registry(
            [claim],
            {"doc": SENTENCES},
            not_checked=[Unchecked("doc", "S01", "r", clause="sentences"), *rest],
        )
    with pytest.raises(CatalogError, match="no asserted proposition checks the rest"):
        build_registry(
            [claim],
            {"doc": SENTENCES},
            not_checked=[
                rest[0],
                Unchecked("doc", "S03", "r", clause="framing"),
                Unchecked("doc", "S03", "r"),
            ],
        )
