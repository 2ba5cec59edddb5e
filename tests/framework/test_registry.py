"""The real catalog's integrity, and the registry's rejection of malformed claims."""

import sys
from dataclasses import replace
from types import ModuleType, SimpleNamespace

import pytest

from claims.catalog import CATALOG, NOT_CHECKED
from claims.engine import sources
from claims.engine.records import (
    Claim,
    Finding,
    Grid,
    Key,
    Reading,
    Role,
    SourceRef,
    Unchecked,
    blind,
    informed,
)
from claims.engine.registry import CatalogError, build_registry, registry_of
from tests.common.good_claim import ASSERTED, GOOD, OTHERS, POST, SENTENCES, with_proposition

REGISTRY = build_registry(CATALOG, not_checked=NOT_CHECKED)


def test_claim_and_proposition_ids_are_unique():
    claim_ids = [c.id for c in CATALOG]
    proposition_ids = [p.id for c in CATALOG for p in c.propositions]
    assert len(set(claim_ids)) == len(claim_ids)
    assert len(set(proposition_ids)) == len(proposition_ids)


def test_every_claim_quotes_its_sentences_verbatim():
    for claim in CATALOG:
        for ref in claim.source:
            document = sources.load(ref.document)
            assert ref.quote in document.sentences[ref.sentence], (claim.id, ref.key)


def test_every_sentence_of_each_cited_document_is_formalized_or_not_checked_with_a_reason():
    for name, document in REGISTRY.documents.items():
        formalized = {
            sentence
            for c in CATALOG
            for p in c.propositions
            if p.role == Role.ASSERTED
            for cited, sentence in c.formalized(p)
            if cited == name
        }
        unchecked = {
            entry.sentence for entry in NOT_CHECKED if entry.document == name and not entry.clause
        }
        clauses = {
            entry.sentence for entry in NOT_CHECKED if entry.document == name and entry.clause
        }
        assert formalized | unchecked == set(document.sentences), name
        assert not formalized & unchecked, name
        assert clauses <= formalized, name
        assert document.sentences == sources.load(name).sentences


def test_each_cited_document_numbers_its_sentences_consecutively_from_one():
    assert list(REGISTRY.documents) == [POST]
    assert len(SENTENCES) == 20
    for name, document in REGISTRY.documents.items():
        numbers = [int(sentence[1:]) for sentence in document.sentences]
        assert numbers == list(range(1, len(numbers) + 1)), name
        assert document.path == f"claims/data/sources/{name}.txt"
    assert REGISTRY.documents[POST].title.startswith('"Did Claude 3 Opus align itself')


def test_source_lines_that_are_not_sentences_are_rejected():
    with pytest.raises(ValueError, match="not a '\\[Snn\\] sentence' line"):
        sources.parse_sentences("[S01] fine\nS02 missing brackets\n")
    with pytest.raises(ValueError, match="duplicate sentence id S01"):
        sources.parse_sentences("[S01] one\n[S01] again\n")
    with pytest.raises(ValueError, match="doc.txt:2: duplicate sentence id S01"):
        sources.parse_sentences("[S1] one\n[S01] the same number\n", "doc.txt")
    with pytest.raises(ValueError, match="holds no '\\[Snn\\] sentence' line"):
        sources.parse_document("empty", "# Title: nothing here\n")
    with pytest.raises(ValueError, match="document name 'Essay_1' is not kebab-case"):
        sources.parse_document("Essay_1", "[S01] one\n")


def test_sentence_ids_scale_past_99_with_or_without_leading_zeros():
    text = sources.render("A long text", [f"sentence {i}." for i in range(1, 121)])
    document = sources.parse_document("long", text)
    assert list(document.sentences)[:2] == ["S001", "S002"]
    assert document.sentences["S120"] == "sentence 120." and document.title == "A long text"
    assert sources.parse_sentences("[S7] seven\n[S0100] a hundred\n") == {
        "S7": "seven",
        "S0100": "a hundred",
    }
    assert list(sources.parse_document("short", sources.render("t", ["a.", "b."])).sentences) == [
        "S01",
        "S02",
    ]


GRID = Grid("by-activation", "the statement per activation", ("activation", "optimizer"))


def with_also(**fields) -> Claim:
    """GOOD plus a second proposition: a beyond one unless `fields` say otherwise."""
    fields = {
        "id": "good-claim/other",
        "role": Role.BEYOND,
        "formalizes": (),
        "reading": None,
        **fields,
    }
    return replace(GOOD, propositions=(ASSERTED, replace(ASSERTED, **fields)))


def in_grid(*cells: dict, grids=(GRID,)) -> Claim:
    """GOOD whose propositions are the given cells of GRID (or of `grids`)."""
    propositions = tuple(
        replace(ASSERTED, id=f"good-claim/cell-{i}", grid=GRID.name, cell=cell)
        for i, cell in enumerate(cells)
    )
    return replace(GOOD, propositions=propositions, grids=grids)


RELU_SGD = {"activation": "ReLU", "optimizer": "SGD"}

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
    "missing quote": (
        replace(GOOD, source=(SourceRef(POST, "S09", " "),)),
        "missing quote for gradient-hacking:S09",
    ),
    "unknown sentence": (
        replace(GOOD, source=(SourceRef(POST, "S99", "x"),)),
        "unknown source sentence id 'S99' in document 'gradient-hacking'",
    ),
    "quote not verbatim": (
        replace(GOOD, source=(SourceRef(POST, "S09", "the signal is zero"),)),
        "is not verbatim in gradient-hacking:S09",
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
    "expected INCONCLUSIVE": (
        with_proposition(expected=Finding.INCONCLUSIVE),
        "must be HOLDS or FAILS; a design that cannot decide states its minimum detectable effect",
    ),
    "expected INCONCLUSIVE, re-registered": (
        with_proposition(
            expected=Finding.INCONCLUSIVE,
            reregistered="design could not decide",
            registration=informed("the first run"),
        ),
        "must be HOLDS or FAILS",
    ),
    "no registration": (
        with_proposition(registration=None),
        "registration must be blind(known=...) or informed(known=...)",
    ),
    "registration says nothing known": (
        with_proposition(registration=blind("  ")),
        "registration must say what was known",
    ),
    "registration commit not a hash": (
        with_proposition(registration=blind("the mathematics", commit="HEAD~1")),
        "registration commit 'HEAD~1' is not a commit hash",
    ),
    "re-registered but blind": (
        with_proposition(reregistered="moved after the first run"),
        "is re-registered after results, so its registration is informed, not blind",
    ),
    "asserted without a reading": (
        with_proposition(reading=None),
        "is asserted but has no reading=Reading(words=..., why=...)",
    ),
    "reading without why": (
        with_proposition(reading=Reading("clipped to zero", " ")),
        "its reading must say why it is the weakest faithful one",
    ),
    "reading words not verbatim": (
        with_proposition(reading=Reading("clipped to nothing", "why")),
        "reading words 'clipped to nothing' are not verbatim (whole words) in a sentence it "
        "formalizes (S09)",
    ),
    "reading words not whole words": (
        with_proposition(reading=Reading("ipped to ze", "why")),
        "are not verbatim (whole words)",
    ),
    "reading words hold no word": (
        with_proposition(reading=Reading(", ", "why")),
        "hold no word to rest on",
    ),
    "reading on a beyond proposition": (
        with_also(reading=Reading("clipped to zero", "why")),
        "is beyond; only an asserted proposition carries a reading",
    ),
    "blank re-registration note": (
        with_proposition(reregistered="   "),
        "an empty re-registration note says nothing",
    ),
    "re-registration not a note": (
        with_proposition(reregistered=True),
        "reregistered must be a note",
    ),
    "empty statement": (with_proposition(statement="  "), "empty formal statement"),
    "no propositions": (replace(GOOD, propositions=()), "has no propositions"),
    "unknown role": (
        with_proposition(role="core"),
        "role 'core' is not a Role; allowed: asserted, lemma, beyond",
    ),
    "no asserted proposition": (
        with_proposition(role=Role.BEYOND, formalizes=(), reading=None),
        "has no asserted proposition",
    ),
    "unknown sentence in formalizes": (
        with_proposition(formalizes=("S09", "S99")),
        "formalizes unknown sentence 'S99'",
    ),
    "sentence not quoted by the claim": (
        with_proposition(formalizes=("S09", "S10")),
        "formalizes S10, which its claim 'good-claim' does not quote",
    ),
    "formalizes a bare string": (
        with_proposition(formalizes="S09"),
        "formalizes must be a tuple of sentence ids",
    ),
    "asserted with no sentence": (
        with_proposition(formalizes=()),
        "is asserted but formalizes no sentence",
    ),
    "quoted sentence never formalized": (
        replace(GOOD, source=(*GOOD.source, SourceRef(POST, "S10", "This prevents gradient"))),
        "quotes S10 but no asserted proposition of it formalizes S10",
    ),
    "lemma with formalizes": (
        with_also(role=Role.LEMMA, formalizes=("S09",)),
        "is a lemma but formalizes S09",
    ),
    "malformed key placeholder": (
        with_proposition(key=Key("max |dL/dz|: {max signal}")),
        "has a malformed placeholder near '{max signal}'",
    ),
    "key without a placeholder": (
        with_proposition(key=Key("the number")),
        "names no measurement",
    ),
    "key with a bad format spec": (
        with_proposition(key=Key("t = {t:.3q}")),
        "key placeholder {t:.3q} has a bad format spec",
    ),
    "grid cell with wrong axes": (
        in_grid({"activation": "ReLU", "optimiser": "SGD"}),
        "cell axes activation, optimiser differ from grid 'by-activation''s axes",
    ),
    "grid cell with an empty value": (
        in_grid({"activation": "ReLU", "optimizer": " "}),
        "every cell value must be a non-empty string",
    ),
    "duplicate cell": (
        in_grid(RELU_SGD, dict(RELU_SGD)),
        "cell {'activation': 'ReLU', 'optimizer': 'SGD'} is already 'good-claim/cell-0''s",
    ),
    "unknown grid": (
        with_also(grid="by-optimizer", cell=RELU_SGD),
        "grid 'by-optimizer' is not a grid of claim 'good-claim'; its grids: none",
    ),
    "cell without grid": (with_also(cell=RELU_SGD), "give both grid and cell"),
    "empty grid": (
        in_grid(RELU_SGD, grids=(GRID, replace(GRID, name="unused"))),
        "grid 'unused' has no proposition",
    ),
    "grid name not kebab-case": (
        replace(in_grid(RELU_SGD), grids=(replace(GRID, name="By Activation"),)),
        "name is not kebab-case",
    ),
    "two grids with one name": (in_grid(RELU_SGD, grids=(GRID, GRID)), "share this name"),
}


@pytest.mark.parametrize("claim, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_claim_is_rejected_with_one_line_naming_it(claim, message):
    with pytest.raises(CatalogError) as raised:
        build_registry([claim], not_checked=OTHERS)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


UNCHECKED_S10 = tuple(u for u in OTHERS if u.sentence != "S10")
ACCOUNTING = {
    "sentence neither formalized nor unchecked": (
        UNCHECKED_S10,
        "sentence gradient-hacking:S10 is neither formalized by an asserted proposition nor listed as not "
        "checked (with a reason)",
    ),
    "sentence both unchecked and formalized": (
        (*OTHERS, Unchecked(POST, "S09", "framing")),
        "not-checked sentence 'gradient-hacking:S09': listed as not checked, yet 'good-claim/asserted' "
        "formalizes it",
    ),
    "unchecked with an empty reason": (
        (*UNCHECKED_S10, Unchecked(POST, "S10", " ")),
        "not-checked sentence 'gradient-hacking:S10': give the reason it is not checked",
    ),
    "unchecked unknown sentence": (
        (*OTHERS, Unchecked(POST, "S21", "beyond the passage")),
        "not-checked sentence 'gradient-hacking:S21': unknown sentence id",
    ),
    "unchecked twice": (
        (*OTHERS, Unchecked(POST, "S10", "again")),
        "not-checked sentence 'gradient-hacking:S10': listed as not checked more than once",
    ),
}


@pytest.mark.parametrize("not_checked, message", ACCOUNTING.values(), ids=ACCOUNTING.keys())
def test_every_sentence_is_accounted_for_exactly_once(not_checked, message):
    with pytest.raises(CatalogError) as raised:
        build_registry([GOOD], not_checked=not_checked)
    assert str(raised.value) == message


def test_duplicate_claims_and_propositions_are_rejected():
    with pytest.raises(CatalogError, match="duplicate claim id 'good-claim'"):
        build_registry(
            [GOOD, replace(GOOD, propositions=(replace(ASSERTED, id="good-claim/other"),))],
            not_checked=OTHERS,
        )
    doubled = replace(GOOD, propositions=GOOD.propositions * 2)
    with pytest.raises(CatalogError, match="duplicate proposition id 'good-claim/asserted'"):
        build_registry([doubled], not_checked=OTHERS)


def test_a_well_formed_claim_builds_and_looks_up_by_id():
    gelu_sgd = {"activation": "GELU", "optimizer": "SGD"}
    registry = build_registry([in_grid(RELU_SGD, gelu_sgd)], not_checked=OTHERS)
    assert registry.proposition("good-claim/cell-0").cell == RELU_SGD
    registry = build_registry([GOOD], not_checked=OTHERS)
    assert registry.proposition("good-claim/asserted") is ASSERTED
    assert registry.not_checked == OTHERS
    with pytest.raises(CatalogError, match="malformed proposition id"):
        registry.proposition("good-claim")
    with pytest.raises(CatalogError, match="unknown proposition id 'good-claim/nope'"):
        registry.proposition("good-claim/nope")


def test_a_beyond_proposition_may_name_the_sentence_it_carries_further():
    claim = with_also(formalizes=("S09",))
    registry = build_registry([claim], not_checked=OTHERS)
    assert registry.proposition("good-claim/other").formalizes == ("S09",)


def test_a_beyond_proposition_alone_does_not_account_for_a_sentence():
    # S10 quoted and named only by a beyond proposition: the sentence is not checked by it.
    quoting = replace(GOOD, source=(*GOOD.source, SourceRef(POST, "S10", "This prevents gradient")))
    claim = replace(
        quoting,
        propositions=(
            ASSERTED,
            replace(
                ASSERTED, id="good-claim/other", role=Role.BEYOND, reading=None, formalizes=("S10",)
            ),
        ),
    )
    with pytest.raises(CatalogError, match="quotes S10 but no asserted proposition"):
        build_registry([claim], not_checked=OTHERS)


def test_a_re_registration_is_informed_and_says_why():
    claim = with_proposition(
        expected=Finding.FAILS,
        reregistered="the prediction reasoned about one step of two; re-registered",
        registration=informed("the first run's diagnostic", commit="016c189"),
    )
    assert build_registry([claim], not_checked=OTHERS).claims[0] == claim


# --- several documents: each quote in its own document, sentence ids unambiguous ---------------

ESSAY = {"S01": "An essay sentence about gradients.", "S02": "A second essay sentence."}
DOCUMENTS = {POST: SENTENCES, "essay": ESSAY}
ESSAY_REF = SourceRef("essay", "S01", "An essay sentence")
# GOOD, also quoting the essay's S01, formalizing both sentences by document and id.
TWO_DOCUMENTS = replace(
    GOOD,
    source=(*GOOD.source, ESSAY_REF),
    propositions=(replace(ASSERTED, formalizes=("gradient-hacking:S09", "essay:S01")),),
)
ESSAY_REST = (Unchecked("essay", "S02", "an aside"),)

ACROSS_DOCUMENTS = {
    "unknown document": (
        replace(GOOD, source=(SourceRef("no-such-essay", "S01", "x"),)),
        "claim 'good-claim': unknown document 'no-such-essay' (no "
        "claims/data/sources/no-such-essay.txt); documents: ",
    ),
    "document name not kebab-case": (
        replace(GOOD, source=(SourceRef("My Essay", "S01", "x"),)),
        "claim 'good-claim': document name 'My Essay' is not kebab-case",
    ),
    "sentence not in its document": (
        replace(TWO_DOCUMENTS, source=(*GOOD.source, SourceRef("essay", "S09", "x"))),
        "unknown source sentence id 'S09' in document 'essay'",
    ),
    "quote verbatim in another document only": (
        replace(
            TWO_DOCUMENTS,
            source=(*GOOD.source, SourceRef("essay", "S01", "clipped to zero")),
        ),
        "quote 'clipped to zero' is not verbatim in essay:S01: 'An essay sentence about gradients.'",
    ),
    "bare id when the claim quotes two documents": (
        replace(TWO_DOCUMENTS, propositions=(replace(ASSERTED, formalizes=("S09", "essay:S01")),)),
        "proposition 'good-claim/asserted': bare sentence id 'S09' is ambiguous: the claim quotes "
        "2 documents; write 'gradient-hacking:S09' or 'essay:S09'",
    ),
    "formalizes a document the claim does not quote": (
        with_proposition(formalizes=("S09", "essay:S01")),
        "formalizes essay:S01, but its claim 'good-claim' quotes no sentence of document 'essay'",
    ),
    "formalizes an unknown sentence by document and id": (
        with_proposition(formalizes=("gradient-hacking:S99",)),
        "formalizes unknown sentence 'gradient-hacking:S99'",
    ),
    "a quoted sentence of the second document never formalized": (
        replace(
            TWO_DOCUMENTS, propositions=(replace(ASSERTED, formalizes=("gradient-hacking:S09",)),)
        ),
        "quotes essay:S01 but no asserted proposition of it formalizes essay:S01",
    ),
}


@pytest.mark.parametrize("claim, message", ACROSS_DOCUMENTS.values(), ids=ACROSS_DOCUMENTS.keys())
def test_a_quote_or_sentence_across_documents_is_checked_in_its_own_document(claim, message):
    documents = None if "unknown document" in message or "kebab" in message else DOCUMENTS
    with pytest.raises(CatalogError) as raised:
        build_registry([claim], documents, not_checked=(*OTHERS, *ESSAY_REST))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_claim_quoting_two_documents_accounts_for_each_documents_sentences():
    registry = build_registry([TWO_DOCUMENTS], DOCUMENTS, not_checked=(*OTHERS, *ESSAY_REST))
    assert list(registry.documents) == [POST, "essay"]
    assert TWO_DOCUMENTS.formalized(TWO_DOCUMENTS.propositions[0]) == (
        (POST, "S09"),
        ("essay", "S01"),
    )
    with pytest.raises(CatalogError) as raised:
        build_registry([TWO_DOCUMENTS], DOCUMENTS, not_checked=OTHERS)
    assert str(raised.value) == (
        "sentence essay:S02 is neither formalized by an asserted proposition nor listed as not "
        "checked (with a reason)"
    )
    with pytest.raises(CatalogError) as raised:
        build_registry([GOOD], DOCUMENTS, not_checked=(*OTHERS, *ESSAY_REST))
    assert str(raised.value) == (
        "not-checked sentence 'essay:S02': document 'essay' is cited by no claim; cited: "
        "gradient-hacking"
    )


def with_scope(scope: dict[str, str]):
    return replace(GOOD, propositions=(replace(ASSERTED, scope=scope),))


def test_a_scope_key_outside_the_core_set_needs_a_declaration():
    # docs/adding-a-claim.md, "Scope keys": open keys, but a typo ("optimiser") still fails.
    on_cpu = with_scope({"optimizer": "SGD", "device": "cpu"})
    with pytest.raises(CatalogError, match=r"unknown scope key\(s\) device; allowed: .*declare"):
        build_registry([on_cpu], not_checked=OTHERS)
    declared = {"device": "the torch device the statement is about"}
    registry = build_registry([on_cpu], not_checked=OTHERS, scope_keys=declared)
    assert registry.proposition("good-claim/asserted").scope["device"] == "cpu"
    assert registry.scope_keys == declared
    with pytest.raises(CatalogError, match=r"unknown scope key\(s\) optimiser"):
        build_registry([with_scope({"optimiser": "SGD"})], not_checked=OTHERS, scope_keys=declared)


@pytest.mark.parametrize(
    "declared, message",
    [
        ({"Device": "x"}, "is not a lowercase name"),
        ({"optimizer": "again"}, "is a core key already"),
        ({"device": " "}, "needs its meaning"),
        (["device"], "must map each key to its meaning"),
    ],
)
def test_a_malformed_scope_key_declaration_is_one_line(declared, message):
    with pytest.raises(CatalogError, match=message) as raised:
        build_registry([GOOD], not_checked=OTHERS, scope_keys=declared)
    assert "\n" not in str(raised.value)


def test_the_registry_of_a_catalog_module_reads_its_declared_scope_keys():
    module = SimpleNamespace(
        __name__="toy_catalog",
        CATALOG=(with_scope({"torch": "2.13.0"}),),
        NOT_CHECKED=OTHERS,
        SCOPE_KEYS={"torch": "the torch version the statement is about"},
    )
    assert registry_of(module).proposition("good-claim/asserted").scope == {"torch": "2.13.0"}
    with pytest.raises(CatalogError, match="defines no CATALOG"):
        registry_of(SimpleNamespace(__name__="empty"))


def test_a_claim_module_declares_the_scope_keys_its_propositions_use(monkeypatch):
    # docs/adding-a-claim.md, "Scope keys": a claim's own catalog module may declare SCOPE_KEYS; an undeclared
    # key's error names that module's file and the catalog module as the places to declare it.
    on_device = with_scope({"device": "cpu"})
    claim_module = ModuleType("toy_catalog.good_claim")
    claim_module.__file__ = "toy_catalog/good_claim.py"
    claim_module.CLAIM = on_device
    monkeypatch.setitem(sys.modules, claim_module.__name__, claim_module)
    catalog = SimpleNamespace(__name__="toy_catalog", CATALOG=(on_device,), NOT_CHECKED=OTHERS)
    with pytest.raises(CatalogError) as raised:
        registry_of(catalog)
    assert str(raised.value).endswith(
        "declare a new one, name -> meaning, in SCOPE_KEYS of toy_catalog/good_claim.py (this "
        "claim's module) or of the catalog module (every claim's)"
    )
    claim_module.SCOPE_KEYS = {"device": "the torch device the statement is about"}
    registry = registry_of(catalog)
    assert registry.proposition("good-claim/asserted").scope == {"device": "cpu"}
    assert registry.scope_keys == claim_module.SCOPE_KEYS
    catalog.SCOPE_KEYS = {"device": "another meaning"}
    with pytest.raises(CatalogError, match="one key, one meaning"):
        registry_of(catalog)


def test_a_scope_key_one_claim_module_declares_is_not_another_claims():
    declared = {"good-claim": {"device": "the torch device"}}
    other = replace(with_scope({"device": "cpu"}), id="other-claim")
    other = replace(
        other, propositions=tuple(replace(p, id="other-claim/asserted") for p in other.propositions)
    )
    with pytest.raises(
        CatalogError, match=r"'other-claim/asserted': unknown scope key\(s\) device"
    ):
        build_registry(
            [with_scope({"device": "cpu"}), other], not_checked=OTHERS, claim_scope_keys=declared
        )
