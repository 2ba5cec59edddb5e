"""``claims new <claim-id>``: scaffold a claim the registry accepts, with no tests yet.

It writes ``claims/catalog/<claim_id>.py`` (one asserted proposition ``<claim-id>/example``,
expected HOLDS, with a ``Key``, formalizing a placeholder source quote that must be replaced),
creates the test folder ``tests/claims/<claim_id>/`` with an empty ``__init__.py`` and adds the
module to ``CATALOG``. The placeholder quotes the first source sentence the catalog does not list
in ``NOT_CHECKED`` (a sentence both formalized and not checked would be refused). With no test
file the proposition shows as UNTESTED, so the claim is INCONCLUSIVE until tests are written: a
scaffold can never pass for a checked claim.
"""

from __future__ import annotations

import ast
import importlib
import json
import keyword
from pathlib import Path
from string import Template

from claims.engine import sources
from claims.engine.records import Unchecked
from claims.engine.registry import CLAIM_ID, CatalogError, build_registry
from claims.report.document import write_atomic

MODULE = Template('''\
"""Claim: TODO say what it claims and cite its sentences. Tests: tests/claims/$module/."""

from claims.engine.records import Claim, Finding, Key, Proposition, Role, SourceRef

ID = "$claim_id"

CLAIM = Claim(
    id=ID,
    title="TODO: a short title",
    source=(
        # PLACEHOLDER -- REPLACE IT: cite the sentences this claim rests on, quoted verbatim from
        # claims/data/gradient-hacking-post.txt (the registry checks every quote against it).
        SourceRef("$sentence", $quote),
    ),
    statement="TODO: the claim in plain language, as this suite reads the sources.",
    propositions=(
        Proposition(
            id=f"{ID}/example",
            statement="TODO: the formal statement, math in text form",
            # Where the statement is asserted; keys from claims.engine.records.SCOPE_KEYS, e.g.
            # {"activation": "ReLU", "aggregation": "per-example"}.
            scope={},
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="TODO: why HOLDS is expected, written before any test runs.",
            # The sentences this proposition formalizes (each quoted above).
            formalizes=("$sentence",),
            # Its decisive number in plain words; {example_value} names a measurement its tests
            # record with the `measurements` fixture (a run fails if none records it).
            key=Key("TODO: what the number is: {example_value}"),
        ),
    ),
)
''')


class ScaffoldError(ValueError):
    """The claim cannot be scaffolded here (it exists, or the project is not where expected)."""


def module_name(claim_id: str) -> str:
    return claim_id.replace("-", "_")


def check_claim_id(text: str) -> str:
    if not CLAIM_ID.match(text):
        raise ValueError(
            f"{text!r} is not a kebab-case claim id (lowercase letters and digits joined by "
            "single dashes, e.g. toy-claim)"
        )
    name = module_name(text)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"claim id {text!r} gives no Python module name ({name}.py)")
    return text


def placeholder_sentence(not_checked: set[str]) -> str:
    """The first source sentence not listed as not checked: a new claim may formalize it too."""
    for sentence in sources.sentences():
        if sentence not in not_checked:
            return sentence
    raise ScaffoldError("every source sentence is listed in NOT_CHECKED; none can be quoted")


def render_module(claim_id: str, sentence: str) -> str:
    text = sources.sentences()[sentence]
    quote = text if len(text) <= 60 else text[:60].rsplit(" ", 1)[0].rstrip(",;:")
    return MODULE.substitute(
        claim_id=claim_id,
        module=module_name(claim_id),
        sentence=sentence,
        quote=json.dumps(quote, ensure_ascii=False),  # a JSON string is a Python string literal
    )


def not_checked_sentences(root: Path) -> set[str]:
    """The sentence ids in NOT_CHECKED of the catalog at root (imported, as the plugin does)."""
    try:
        catalog = importlib.import_module("claims.catalog")
    except Exception as error:  # a broken catalog: say so in one line
        raise ScaffoldError(
            f"cannot import the catalog: {type(error).__name__}: {error}"
        ) from error
    expected = (root / "claims" / "catalog" / "__init__.py").resolve()
    if Path(catalog.__file__).resolve() != expected:
        raise ScaffoldError(
            f"this `claims` imports its catalog from {Path(catalog.__file__).parent}, not from "
            f"{expected.parent}; run `python -m claims new` from the project root instead of --root"
        )
    return {entry.sentence for entry in getattr(catalog, "NOT_CHECKED", ())}


def scaffold(claim_id: str, root: Path) -> list[str]:
    """Write the module, the test folder and the CATALOG entry; return what was done, one line each."""
    check_claim_id(claim_id)
    module = module_name(claim_id)
    catalog, tests = root / "claims" / "catalog", root / "tests" / "claims"
    init = catalog / "__init__.py"
    if not init.is_file() or not tests.is_dir():
        raise ScaffoldError(
            f"{root.resolve()} is not the project root (no claims/catalog/__init__.py or "
            "tests/claims/ there); run from the root or pass --root"
        )
    if claim_id in existing_claim_ids(catalog):
        raise ScaffoldError(f"claim {claim_id!r} already exists in claims/catalog/")
    module_path, test_folder = catalog / f"{module}.py", tests / module
    for path in (module_path, test_folder):
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} already exists")
    sentence = placeholder_sentence(not_checked_sentences(root))
    text = render_module(claim_id, sentence)
    _check_module(text, claim_id, sentence)
    catalog_text = add_to_catalog(init.read_text(encoding="utf-8"), module, init)
    created: list[Path] = []
    try:
        write_atomic(module_path, text)
        created.append(module_path)
        test_folder.mkdir()
        created.append(test_folder)
        (test_folder / "__init__.py").write_text("", encoding="utf-8")
        created.append(test_folder / "__init__.py")
        write_atomic(init, catalog_text)
    except BaseException:
        for path in reversed(created):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        raise
    return [
        f"created {module_path.relative_to(root)}",
        f"created {(test_folder / '__init__.py').relative_to(root)}",
        f"added {module}.CLAIM to CATALOG in {init.relative_to(root)}",
    ]


def existing_claim_ids(catalog: Path) -> set[str]:
    """Claim ids the catalog modules spell out: ``ID = "..."`` or ``Claim(id="...")``."""
    ids: set[str] = set()
    for path in sorted(catalog.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError as error:
            raise ScaffoldError(f"cannot read the catalog: {error}") from error
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "ID" for t in node.targets
            ):
                ids.add(_string(node.value))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Claim":
                ids.update(_string(k.value) for k in node.keywords if k.arg == "id")
    return ids - {""}


def _string(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def add_to_catalog(text: str, module: str, path: Path) -> str:
    """Add ``module`` to the sorted ``from claims.catalog import (...)`` and append its CLAIM."""
    tree = ast.parse(text, filename=str(path))
    imports = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "claims.catalog" and not node.level
    ]
    catalogs = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["CATALOG"]
        and isinstance(node.value, ast.Tuple)
    ]
    if len(imports) != 1 or len(catalogs) != 1 or any(a.asname for a in imports[0].names):
        raise ScaffoldError(
            f"{path}: expected one `from claims.catalog import (...)` and one `CATALOG = (...)`; "
            f"add {module} there by hand"
        )
    (imported,), (assigned,) = imports, catalogs
    lines = text.splitlines(keepends=True)
    names = sorted({alias.name for alias in imported.names} | {module})
    import_lines = ["from claims.catalog import (\n", *[f"    {n},\n" for n in names], ")\n"]
    last = assigned.end_lineno or assigned.lineno
    if last > assigned.lineno and lines[last - 1] == ")\n":
        # Multi-line tuple: insert before the closing parenthesis, keeping any comments.
        catalog_lines = [*lines[assigned.lineno - 1 : last - 1], f"    {module}.CLAIM,\n", ")\n"]
    else:
        entries = [ast.get_source_segment(text, e) for e in assigned.value.elts]
        entries.append(f"{module}.CLAIM")
        catalog_lines = ["CATALOG = (\n", *[f"    {e},\n" for e in entries], ")\n"]
    # Replace the later block first so the earlier one's line numbers still hold.
    blocks = sorted(
        [(imported, import_lines), (assigned, catalog_lines)], key=lambda b: -b[0].lineno
    )
    for node, replacement in blocks:
        lines[node.lineno - 1 : node.end_lineno] = replacement
    edited = "".join(lines)
    ast.parse(edited, filename=str(path))
    return edited


def _check_module(text: str, claim_id: str, sentence: str) -> None:
    """The scaffold must itself pass the registry (the placeholder quote included)."""
    namespace: dict[str, object] = {}
    exec(compile(text, f"<claims new {claim_id}>", "exec"), namespace)
    # On its own, the scaffold accounts for one sentence; the others are the catalog's business.
    others = [Unchecked(s, "checked by the rest of the catalog") for s in sources.sentences()]
    try:
        build_registry(
            (namespace["CLAIM"],), not_checked=[u for u in others if u.sentence != sentence]
        )
    except CatalogError as error:
        raise ScaffoldError(f"the scaffold for {claim_id!r} does not validate: {error}") from error


def next_steps(claim_id: str) -> str:
    module = module_name(claim_id)
    return f"""
Next steps:
  1. Edit claims/catalog/{module}.py: title, statement, propositions (role, formalizes, key,
     expected), and replace the placeholder source quote with the sentences this claim rests on;
     list any sentence you deliberately leave unchecked in NOT_CHECKED, with the reason. Commit
     the catalog on its own first: expectations are pre-registered before tests measure them.
  2. `.venv/bin/python -m pytest tests/claims` now lists {claim_id}/example as UNTESTED
     (the claim is INCONCLUSIVE) until a test checks it.
  3. Write tests/claims/{module}/test_*.py, at least one test per proposition, each marked
         @pytest.mark.claim("{claim_id}/example", kind="symbolic")  # or certified, property, ...
     recording the measurements its key names (measurements.record("example_value", ...)).
  4. Make each new test fail once on a planted bug; then `make report`, read reports/claims.md
     and commit the catalog, the tests and reports/ together."""
