"""The real catalog's integrity, and the registry's rejection of malformed claims."""

from dataclasses import replace

import pytest

from claims import source
from claims.catalog import CATALOG
from claims.records import Claim, Finding, Headline, Proposition, Role, SourceRef
from claims.registry import CatalogError, build_registry

REGISTRY = build_registry(CATALOG)


def test_claim_and_proposition_ids_are_unique():
    claim_ids = [c.id for c in CATALOG]
    proposition_ids = [p.id for c in CATALOG for p in c.propositions]
    assert len(set(claim_ids)) == len(claim_ids)
    assert len(set(proposition_ids)) == len(proposition_ids)


def test_every_claim_quotes_its_sentences_verbatim():
    sentences = source.sentences()
    for claim in CATALOG:
        for ref in claim.source:
            assert ref.quote in sentences[ref.sentence], (claim.id, ref.sentence)


def test_the_shipped_source_has_twenty_consecutive_sentences():
    assert list(source.sentences()) == [f"S{i:02d}" for i in range(1, 21)]


def test_source_lines_that_are_not_sentences_are_rejected():
    with pytest.raises(ValueError, match="not a '\\[Snn\\] sentence' line"):
        source.parse_sentences("[S01] fine\nS02 missing brackets\n")
    with pytest.raises(ValueError, match="duplicate sentence id S01"):
        source.parse_sentences("[S01] one\n[S01] again\n")


GOOD = Claim(
    id="good-claim",
    title="Good",
    source=(SourceRef("S09", "the error signal at that neuron is clipped to zero"),),
    statement="A statement.",
    propositions=(
        Proposition("good-claim/core", "x = x", {"activation": "ReLU"}, Role.CORE, Finding.HOLDS),
    ),
)


def with_proposition(**changes) -> Claim:
    return replace(GOOD, propositions=(replace(GOOD.propositions[0], **changes),))


MALFORMED = {
    "claim id not kebab-case": (replace(GOOD, id="Good_Claim"), "id is not kebab-case"),
    "proposition id malformed": (
        with_proposition(id="good-claim:core"),
        "is not '<claim-id>/<name>'",
    ),
    "proposition of another claim": (
        with_proposition(id="other/core"),
        "does not start with its claim id",
    ),
    "missing quote": (replace(GOOD, source=(SourceRef("S09", " "),)), "missing quote for S09"),
    "unknown sentence": (
        replace(GOOD, source=(SourceRef("S99", "x"),)),
        "unknown source sentence id 'S99'",
    ),
    "quote not verbatim": (
        replace(GOOD, source=(SourceRef("S09", "the signal is zero"),)),
        "is not verbatim in S09",
    ),
    "no source": (replace(GOOD, source=()), "cites no source sentence"),
    "unknown scope key": (
        with_proposition(scope={"optimiser": "sgd"}),
        "unknown scope key(s) optimiser",
    ),
    "bad aggregation": (
        with_proposition(scope={"aggregation": "mean"}),
        "scope aggregation 'mean'",
    ),
    "expected NOT_RUN": (with_proposition(expected=Finding.NOT_RUN), "must be HOLDS or FAILS"),
    "empty statement": (with_proposition(statement="  "), "empty formal statement"),
    "no core": (with_proposition(role=Role.BOUNDARY), "has no core proposition"),
    "no propositions": (replace(GOOD, propositions=()), "has no propositions"),
    "foreign headline": (
        replace(GOOD, headline=Headline("other/x", "m", "label")),
        "headline cites",
    ),
}


@pytest.mark.parametrize("claim, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_claim_is_rejected_with_a_message_naming_it(claim, message):
    with pytest.raises(CatalogError) as raised:
        build_registry([claim])
    assert message in str(raised.value)


def test_duplicate_claims_and_propositions_are_rejected():
    with pytest.raises(CatalogError, match="duplicate claim id 'good-claim'"):
        build_registry(
            [
                GOOD,
                replace(GOOD, propositions=(replace(GOOD.propositions[0], id="good-claim/other"),)),
            ]
        )
    doubled = replace(GOOD, propositions=GOOD.propositions * 2)
    with pytest.raises(CatalogError, match="duplicate proposition id 'good-claim/core'"):
        build_registry([doubled])


def test_a_well_formed_claim_builds_and_looks_up_by_id():
    registry = build_registry([GOOD])
    assert registry.proposition("good-claim/core") is GOOD.propositions[0]
    with pytest.raises(CatalogError, match="malformed proposition id"):
        registry.proposition("good-claim")
    with pytest.raises(CatalogError, match="unknown proposition id 'good-claim/nope'"):
        registry.proposition("good-claim/nope")
