"""``claims new <claim-id>``: scaffold a claim the registry accepts, with no tests yet.

It writes ``claims/catalog/<claim_id>.py`` (one core proposition ``<claim-id>/example``, expected
HOLDS, and a placeholder source quote that is verbatim in S01 and must be replaced), creates the
test folder ``tests/claims/<claim_id>/`` with an empty ``__init__.py`` and adds the module to
``CATALOG``. With no test file the proposition shows as UNTESTED, so the claim is INCONCLUSIVE
until tests are written: a scaffold can never pass for a checked claim.
"""

from __future__ import annotations

import ast
import json
import keyword
from pathlib import Path
from string import Template

from claims import source
from claims.registry import CLAIM_ID, CatalogError, build_registry
from claims.report.document import write_atomic

PLACEHOLDER_SENTENCE = "S01"

MODULE = Template('''\
"""Claim: TODO say what it claims and cite its sentences. Tests: tests/claims/$module/."""

from claims.records import Claim, Finding, Proposition, Role, SourceRef

ID = "$claim_id"

CLAIM = Claim(
    id=ID,
    title="TODO: a short title",
    source=(
        # PLACEHOLDER -- REPLACE IT: cite the sentences this claim rests on, quoted verbatim from
        # claims/data/gradient-hacking-post.txt (the registry checks every quote against it).
        SourceRef("$sentence", $quote),
    ),
    statement="TODO: the claim in plain language, as this suite reads the source.",
    propositions=(
        Proposition(
            id=f"{ID}/example",
            statement="TODO: the formal statement, math in text form",
            # Where the statement is asserted; keys from claims.records.SCOPE_KEYS, e.g.
            # {"activation": "ReLU", "aggregation": "per-example"}.
            scope={},
            role=Role.CORE,
            expected=Finding.HOLDS,
            rationale="TODO: why HOLDS is expected, written before any test runs.",
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


def render_module(claim_id: str) -> str:
    sentence = source.sentences()[PLACEHOLDER_SENTENCE]
    quote = sentence if len(sentence) <= 60 else sentence[:60].rsplit(" ", 1)[0].rstrip(",;:")
    return MODULE.substitute(
        claim_id=claim_id,
        module=module_name(claim_id),
        sentence=PLACEHOLDER_SENTENCE,
        quote=json.dumps(quote, ensure_ascii=False),  # a JSON string is a Python string literal
    )


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
    text = render_module(claim_id)
    _check_module(text, claim_id)
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


def _check_module(text: str, claim_id: str) -> None:
    """The scaffold must itself pass the registry (the placeholder quote included)."""
    namespace: dict[str, object] = {}
    exec(compile(text, f"<claims new {claim_id}>", "exec"), namespace)
    try:
        build_registry((namespace["CLAIM"],))
    except CatalogError as error:
        raise ScaffoldError(f"the scaffold for {claim_id!r} does not validate: {error}") from error


def next_steps(claim_id: str) -> str:
    module = module_name(claim_id)
    return f"""
Next steps:
  1. Edit claims/catalog/{module}.py: title, statement, propositions, and replace the
     placeholder source quote ({PLACEHOLDER_SENTENCE}) with the sentences this claim rests on.
  2. `.venv/bin/python -m pytest tests/claims` now lists {claim_id}/example as UNTESTED
     (the claim is INCONCLUSIVE) until a test checks it.
  3. Write tests/claims/{module}/test_*.py, at least one test per proposition, each marked
         @pytest.mark.claim("{claim_id}/example", kind="symbolic")  # or certified, property, ...
  4. Make each new test fail once on a planted bug; then `make report`, read reports/claims.md
     and commit the catalog, the tests and reports/ together."""
