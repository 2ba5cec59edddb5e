"""``claims new <claim-id> [--source NAME]``: scaffold a claim the registry accepts, with no tests.

It writes ``claims/catalog/<claim_id>.py`` (one asserted proposition ``<claim-id>/example``,
expected HOLDS, with a ``Key``, formalizing a placeholder quote that must be replaced) and adds
the module to ``CATALOG``; it writes nothing else, so all it writes belongs in the
pre-registration commit, which may hold no claim test (docs/adding-a-claim.md, "Adding a claim"). The tests come
after that commit, in ``tests/claims/<claim_id>/``: the folder named exactly after the catalog
module. ``next_steps`` prints the one sequence of commits. The quote comes from the document ``--source`` names (default: the first document
the catalog cites). For a document the catalog already cites, it is the first sentence not
listed in ``NOT_CHECKED`` (a sentence both formalized and not checked would be refused); for a
document new to the catalog (one ``claims import-source`` just wrote), it is the first sentence,
and every other sentence of the document is added to ``NOT_CHECKED`` with a TODO reason, so the
registry's per-document accounting accepts it. With no test file the proposition shows as
UNTESTED, so the claim is INCONCLUSIVE until tests are written: a scaffold can never pass for a
checked claim.
"""

from __future__ import annotations

import ast
import importlib
import json
import keyword
from pathlib import Path
from string import Template
from types import ModuleType

from claims.engine import sources
from claims.engine.records import Unchecked
from claims.engine.registry import CLAIM_ID, CatalogError, build_registry
from claims.report.document import write_atomic

MODULE = Template('''\
"""Claim: TODO say what it claims and cite its sentences. Tests: tests/claims/$module/.

Pre-registered in commit TODO (the hash of the catalog-only commit that adds this module).
"""

from claims.engine.records import (
    Claim,
    Finding,
    Key,
    Proposition,
    Reading,
    Role,
    SourceRef,
    blind,
)

ID = "$claim_id"
# The document this claim quotes: claims/data/sources/$document.txt.
SOURCE = "$document"

CLAIM = Claim(
    id=ID,
    title="TODO: a short title",
    source=(
        # PLACEHOLDER -- REPLACE IT: cite the sentences this claim rests on, quoted verbatim from
        # their document (the registry checks every quote against its own document).
        SourceRef(
            document=SOURCE,
            sentence="$sentence",
            quote=$quote,
        ),
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
            # The sentences this proposition formalizes (each quoted above); write
            # "<document>:S01" once the claim quotes more than one document.
            formalizes=("$sentence",),
            # The weakest faithful reading: words of a formalized sentence, verbatim, and why no
            # weaker reading would do (README, "Roles and readings").
            reading=Reading(
                words=$quote,
                why="TODO: what later sentences rely on; why nothing weaker",
            ),
            # How this was registered: blind(known=...) before any result of it or of its
            # design was seen, informed(known=...) otherwise (README, "Registration").
            registration=blind(known="TODO: what the expectation rests on"),
            # Its decisive number in plain words; {example_value} names a measurement its tests
            # record with the `measurements` fixture (a run fails if none records it).
            key=Key(text="TODO: what the number is: {example_value}"),
        ),
    ),
)
''')


# The reason `new --source` gives the sentences of a new document it does not quote.
TODO_REASON = "TODO: formalize it in a claim, or say why it is not checked"


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


def placeholder_sentence(document: sources.Document, not_checked: set[str]) -> str:
    """The first sentence of ``document`` not listed as not checked: a new claim may formalize
    it too."""
    for sentence in document.sentences:
        if sentence not in not_checked:
            return sentence
    raise ScaffoldError(
        f"every sentence of {document.name!r} is listed in NOT_CHECKED; none can be quoted"
    )


def render_module(claim_id: str, document: sources.Document, sentence: str) -> str:
    text = document.sentences[sentence]
    quote = text if len(text) <= 60 else text[:60].rsplit(" ", 1)[0].rstrip(",;:")
    return MODULE.substitute(
        claim_id=claim_id,
        module=module_name(claim_id),
        document=document.name,
        sentence=sentence,
        quote=json.dumps(quote, ensure_ascii=False),  # a JSON string is a Python string literal
    )


def root_catalog(root: Path) -> ModuleType:
    """The catalog at root (imported, as the plugin does); ScaffoldError if another is imported."""
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
    return catalog


def cited_documents(catalog: ModuleType) -> list[str]:
    """The documents the catalog's claims quote, in order of first quote."""
    cited = (ref.document for claim in catalog.CATALOG for ref in claim.source)
    return list(dict.fromkeys(cited))


def scaffold(claim_id: str, root: Path, source: str | None = None) -> list[str]:
    """Write the module and the CATALOG entry (and, for a document new to the catalog, its other
    sentences' NOT_CHECKED entries), nothing under tests/; return what was done, one line each.

    ``source``: the document to quote (default: the first the catalog cites). Raises
    ScaffoldError (a ValueError, one line) and writes nothing when any step cannot be done.
    """
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
    module_path = catalog / f"{module}.py"
    for folder in (catalog, tests):
        if taken := name_taken(folder, module):
            raise ScaffoldError(
                f"{taken.relative_to(root)} already exists: {folder.relative_to(root)}/{module} "
                f"would import as two things; choose another claim id"
            )
    imported = root_catalog(root)
    cited = cited_documents(imported)
    name = source if source is not None else (cited or [None])[0]
    if name is None:
        raise ScaffoldError("the catalog cites no document; name one with --source")
    try:
        document = sources.load(name)
    except sources.SourceError as error:
        raise ScaffoldError(f"--source: {error}") from error
    unchecked = {
        u.sentence for u in getattr(imported, "NOT_CHECKED", ()) if u.document == document.name
    }
    new_document = document.name not in cited
    sentence = placeholder_sentence(document, set() if new_document else unchecked)
    text = render_module(claim_id, document, sentence)
    _check_module(text, claim_id, document, sentence)
    catalog_text = add_to_catalog(init.read_text(encoding="utf-8"), module, init)
    others = [s for s in document.sentences if s != sentence and s not in unchecked]
    if new_document and others:
        catalog_text = add_not_checked(catalog_text, document.name, others, claim_id, init)
    write_atomic(module_path, text)
    try:
        write_atomic(init, catalog_text)
    except BaseException:
        module_path.unlink(missing_ok=True)
        raise
    done = [
        f"created {module_path.relative_to(root)}, quoting {document.name} {sentence}",
        f"added {module}.CLAIM to CATALOG in {init.relative_to(root)}",
    ]
    if new_document and others:
        done.append(
            f"listed {len(others)} other sentences of {document.name} in NOT_CHECKED "
            f"({others[0]}-{others[-1]}), each with a TODO reason"
        )
    return done


def add_not_checked(text: str, document: str, sentences: list[str], claim_id: str, path: Path):
    """Append ``Unchecked(document=..., sentence=s, reason="TODO ...")`` for each sentence to ``NOT_CHECKED = (...)``."""
    tree = ast.parse(text, filename=str(path))
    found = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["NOT_CHECKED"]
        and isinstance(node.value, ast.Tuple)
    ]
    lines = text.splitlines(keepends=True)
    last = (found[0].end_lineno or 0) if len(found) == 1 else 0
    if not last or last == found[0].lineno or lines[last - 1] != ")\n":
        raise ScaffoldError(
            f"{path}: expected one multi-line `NOT_CHECKED = (...)`; list the other sentences of "
            f"{document!r} there by hand"
        )
    added = [f"    # Scaffolded by `claims new {claim_id} --source {document}`: not checked yet.\n"]
    for sentence in sentences:
        arguments = [
            f"{field}={json.dumps(value)}"
            for field, value in zip(
                ("document", "sentence", "reason"), (document, sentence, TODO_REASON), strict=True
            )
        ]
        line = f"    Unchecked({', '.join(arguments)}),\n"
        # As `ruff format` writes it: one line when it fits in 100 columns, else one per argument.
        exploded = ["    Unchecked(\n", *[f"        {a},\n" for a in arguments], "    ),\n"]
        added += [line] if len(line) <= 101 else exploded
    lines[last - 1 : last - 1] = added
    edited = "".join(lines)
    ast.parse(edited, filename=str(path))
    return edited


def name_taken(folder: Path, module: str) -> Path | None:
    """Anything in ``folder`` that imports as ``<package>.<module>``: a module of that name with
    any suffix (``.py``, ``.pyc``, a compiled extension), a package or namespace folder, or a
    link; or None. A claim whose module name is taken would later get a test folder
    tests/claims/<module>/ that shadows the module of that name there (or a catalog module that
    shadows one), and break what imports from it."""
    for entry in sorted(folder.iterdir()) if folder.is_dir() else ():
        if entry.name == module or entry.name.startswith(f"{module}."):
            return entry
    return None


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


def _check_module(text: str, claim_id: str, document: sources.Document, sentence: str) -> None:
    """The scaffold must itself pass the registry (the placeholder quote included)."""
    namespace: dict[str, object] = {}
    exec(compile(text, f"<claims new {claim_id}>", "exec"), namespace)
    # On its own, the scaffold accounts for one sentence; the others are the catalog's business.
    others = [
        Unchecked(document=document.name, sentence=s, reason="checked by the rest of the catalog")
        for s in document.sentences
        if s != sentence
    ]
    try:
        build_registry((namespace["CLAIM"],), {document.name: document}, not_checked=others)
    except CatalogError as error:
        raise ScaffoldError(f"the scaffold for {claim_id!r} does not validate: {error}") from error


def next_steps(claim_id: str) -> str:
    """The one sequence from scaffold to report: two catalog-only commits, then tests and
    reports/ (docs/adding-a-claim.md, "Adding a claim")."""
    module = module_name(claim_id)
    return f"""
Next steps, in this order:
  1. Edit claims/catalog/{module}.py: title, statement, propositions (role, expected, formalizes,
     reading, registration, key), and replace the placeholder source quote with the sentences this
     claim rests on. In NOT_CHECKED (claims/catalog/__init__.py) replace any TODO reason, and drop
     the entry of a sentence you now formalize.
  2. `claims preregistration --write` records its decisions in claims/catalog/preregistered.json.
  3. `claims check` validates the catalog and its record and lists {claim_id}/example (and each
     proposition you add) as UNTESTED, exit status 3: no test checks it yet.
  4. Commit the catalog alone, the pre-registration commit: `git add claims/catalog
     claims/data/sources` (the quoted document too, if `claims import-source` just wrote it) and
     commit; it holds no claim test.
  5. Name it in a second catalog-only commit: "Pre-registered in commit <hash>" in the module's
     docstring and commit="<hash>" in each proposition's blind(...) or informed(...).
  6. Write the tests in tests/claims/{module}/ (that folder name exactly, with an empty
     __init__.py), at least one test per proposition, each marked
         @pytest.mark.claim("{claim_id}/example", kind="symbolic")  # or certified, construction, ...
     recording the measurements its key names (measurements.record("example_value", ...)), and
     make each fail once on a planted bug. `claims check` now exits 0.
  7. `make report`, read reports/claims.md, and commit the tests and reports/ together."""
