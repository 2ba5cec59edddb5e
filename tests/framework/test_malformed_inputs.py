"""Malformed markers, tests and catalogs: each is one clear error and leaves no report behind."""

import pytest

from tests.common.toy_project import MATCHING_TESTS, TOY_CATALOG

MARKED = '@pytest.mark.claim("toy/holds", kind="symbolic")'

BAD_MARKERS = {
    "unknown-id": (
        '@pytest.mark.claim("toy/nope", kind="symbolic")',
        "unknown proposition id 'toy/nope'",
    ),
    "malformed-id": (
        '@pytest.mark.claim("Toy Holds", kind="symbolic")',
        "malformed proposition id",
    ),
    "no-claim-argument": (
        '@pytest.mark.claim(kind="symbolic")',
        "use @pytest.mark.claim('<claim-id>/<name>'",
    ),
    "missing-kind": (
        '@pytest.mark.claim("toy/holds")',
        "use @pytest.mark.claim('<claim-id>/<name>'",
    ),
    "unknown-kind": (
        '@pytest.mark.claim("toy/holds", kind="vibes")',
        "unknown evidence kind 'vibes'",
    ),
    "two-markers": (MARKED + "\n" + MARKED, "more than one @pytest.mark.claim"),
    "no-marker": ("", "claim test without @pytest.mark.claim"),
}


@pytest.mark.parametrize("marker, message", BAD_MARKERS.values(), ids=BAD_MARKERS.keys())
def test_a_bad_marker_is_a_collection_error_naming_file_and_line(toy_project, marker, message):
    run = toy_project(MATCHING_TESTS.replace(MARKED, marker))
    assert run.result.ret == pytest.ExitCode.INTERRUPTED
    assert "tests/claims/test_toy.py:" in run.output
    assert message in run.output
    assert not (run.folder / "out").exists()


CATALOG_ERRORS = {
    "duplicate-proposition": (
        'proposition("holds", Role.ASSERTED, Finding.HOLDS),',
        "duplicate proposition id 'toy/holds'",
    ),
    "expected-error": (
        'proposition("odd", Role.ASSERTED, Finding.ERROR),',
        "must be HOLDS or FAILS",
    ),
    "foreign-prefix": (
        'Proposition(id="other/x", statement="s", scope={}, role=Role.ASSERTED, expected=Finding.HOLDS),',
        "does not start with its claim id",
    ),
    "unknown-scope-key": (
        'Proposition(id="toy/x", statement="s", scope={"optimiser": "sgd"}, role=Role.ASSERTED, '
        "expected=Finding.HOLDS),",
        "unknown scope key(s) optimiser",
    ),
}


@pytest.mark.parametrize("extra, message", CATALOG_ERRORS.values(), ids=CATALOG_ERRORS.keys())
def test_a_bad_catalog_is_a_usage_error_and_writes_nothing(toy_project, extra, message):
    run = toy_project(extra=extra)
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in run.output
    assert not (run.folder / "out").exists()


def test_a_bad_catalog_leaves_an_existing_report_intact(toy_project):
    good = toy_project()
    before = (good.folder / "out" / "claims.json").read_bytes()
    bad = toy_project(extra='proposition("holds", Role.ASSERTED, Finding.HOLDS),')
    assert bad.result.ret == pytest.ExitCode.USAGE_ERROR
    assert (good.folder / "out" / "claims.json").read_bytes() == before


def test_an_unknown_hypothesis_profile_is_a_usage_error(toy_project, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fast-and-loose")
    run = toy_project()
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR
    assert "HYPOTHESIS_PROFILE='fast-and-loose' is not a profile" in run.output


# A catalog module that cannot even be read is one line naming its file, never a traceback
# (docs/adding-a-claim.md, "Adding a claim"): what it raised on import (with its line), or which value has the
# wrong type. Each case: (a proposition added to the toy claim, code appended to the module).
BROKEN_CATALOGS = {
    "type-error": ("", "\nlength = len(None)\n", "toy_catalog.py:", "TypeError"),
    "runtime-error": (
        "",
        '\nraise RuntimeError("catalog not ready")\n',
        "toy_catalog.py:",
        "RuntimeError: catalog not ready",
    ),
    "syntax-error": ("", "\nCATALOG = (\n", "toy_catalog.py:", "SyntaxError"),
    "catalog-a-list": (
        "",
        "\nCATALOG = list(CATALOG)\n",
        "toy_catalog.py",
        "CATALOG must be a tuple, not list",
    ),
    "scope-none": (
        'Proposition(id="toy/x", statement="s", scope=None, role=Role.LEMMA, '
        "expected=Finding.HOLDS),",
        "",
        "toy_catalog.py",
        "scope must be a mapping",
    ),
    "id-none": (
        'Proposition(id=None, statement="s", scope={}, role=Role.LEMMA, expected=Finding.HOLDS),',
        "",
        "toy_catalog.py",
        "id must be a string, not None",
    ),
}


@pytest.mark.parametrize(
    "extra, appended, where, message", BROKEN_CATALOGS.values(), ids=BROKEN_CATALOGS.keys()
)
def test_a_catalog_module_that_breaks_is_one_line_naming_it(
    toy_project, extra, appended, where, message
):
    good = toy_project()
    before = (good.folder / "out" / "claims.json").read_bytes()
    catalog = TOY_CATALOG.replace("{extra}", extra) + appended
    bad = toy_project(extra=extra, files={"toy_catalog.py": catalog})
    assert bad.result.ret == pytest.ExitCode.USAGE_ERROR
    assert "Traceback" not in bad.output and "INTERNALERROR" not in bad.output
    [line] = [line for line in bad.output.splitlines() if "claims:" in line]
    assert where in line and message in line, line
    assert (good.folder / "out" / "claims.json").read_bytes() == before
