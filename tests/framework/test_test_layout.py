"""The test tree keeps its layout (tests/README.md), read from paths and ASTs only.

- No module under tests/ or benchmarks/ imports a test module (``test_*.py``) or a conftest:
  what test modules share lives in tests/common/, and conftest files hold fixtures and hooks.
- tests/claims/ holds one folder per claim, named after the claim's catalog module (a module of
  claims/catalog/ that defines ``CLAIM``), and nothing else but ``__init__.py``.
- tests/instruments/ tests claims/instruments/ only: a test importing claims.experiments belongs
  in tests/experiments/.

Each check is a function of a root folder, run on this checkout and on a scratch tree with the
fault planted, so each test can be seen to fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Where test code lives: every module here is checked for imports of test modules.
TEST_CODE = ("tests", "benchmarks")


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module ``path`` imports, at any depth of its AST; a name
    imported from a package (``from tests.common import plants``) counts as the module it names
    when a module or package of that name exists under ``root``."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            yield node.lineno, module
            for alias in node.names:
                candidate = root.joinpath(*module.split("."), alias.name)
                if candidate.with_suffix(".py").is_file() or candidate.is_dir():
                    yield node.lineno, f"{module}.{alias.name}"


def imports_of_test_modules(root: Path) -> list[str]:
    """One line per import, by any module under TEST_CODE, of a test module or a conftest."""
    found = []
    for folder in TEST_CODE:
        for path in python_files(root / folder):
            for line, module in imported_modules(path, root):
                last = module.rsplit(".", 1)[-1]
                if module.split(".")[0] in TEST_CODE and (
                    last.startswith("test_") or last == "conftest"
                ):
                    found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def claim_modules(root: Path) -> set[str]:
    """Names of the catalog modules that define a claim (a module-level ``CLAIM = ...``)."""
    names = set()
    for path in sorted((root / "claims" / "catalog").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = [t for node in tree.body if isinstance(node, ast.Assign) for t in node.targets]
        if any(isinstance(t, ast.Name) and t.id == "CLAIM" for t in targets):
            names.add(path.stem)
    return names


def claim_folder_problems(root: Path) -> list[str]:
    """One line per entry of tests/claims/ that is not a claim module's folder, and per claim
    module without one."""
    modules = claim_modules(root)
    folder = root / "tests" / "claims"
    entries = {p.name: p for p in folder.iterdir() if p.name not in ("__init__.py", "__pycache__")}
    problems = [
        f"tests/claims/{name}{'/' if path.is_dir() else ''} is not named after a claim module "
        f"of claims/catalog/ ({', '.join(sorted(modules))}); shared helpers go in tests/common/"
        for name, path in sorted(entries.items())
        if not (path.is_dir() and name in modules)
    ]
    problems += [
        f"claims/catalog/{name}.py defines a claim but tests/claims/{name}/ does not exist"
        for name in sorted(modules - set(entries))
    ]
    return problems


def experiments_tested_in_instruments(root: Path) -> list[str]:
    """One line per module of tests/instruments/ that imports claims.experiments."""
    found = []
    for path in python_files(root / "tests" / "instruments"):
        for line, module in imported_modules(path, root):
            if module == "claims.experiments" or module.startswith("claims.experiments."):
                found.append(f"{path.relative_to(root)}:{line} imports {module}")
                break
    return found


# --- this checkout --------------------------------------------------------------------------------


def test_no_test_module_imports_another_test_module_or_a_conftest():
    assert imports_of_test_modules(ROOT) == [], "move what they share to tests/common/"


def test_every_claim_test_folder_is_named_after_its_catalog_module():
    assert claim_modules(ROOT), "no claim module found in claims/catalog/"
    assert claim_folder_problems(ROOT) == []


def test_the_instruments_tests_import_no_experiment():
    assert experiments_tested_in_instruments(ROOT) == [], "these belong in tests/experiments/"


# --- the same checks, each on a scratch tree with its fault planted --------------------------------

CLAIM_MODULE = 'ID = "toy-claim"\nCLAIM = object()\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A well-laid-out scratch tree: one claim module, its test folder, a shared helper."""
    files = {
        "claims/catalog/__init__.py": "",
        "claims/catalog/toy_claim.py": CLAIM_MODULE,
        "claims/catalog/vocabulary.py": 'WORDS = ("a",)\n',
        "tests/__init__.py": "",
        "tests/common/__init__.py": "",
        "tests/common/helpers.py": "HELP = 1\n",
        "tests/claims/__init__.py": "",
        "tests/claims/toy_claim/__init__.py": "",
        "tests/claims/toy_claim/test_toy.py": "from tests.common.helpers import HELP\n",
        "tests/instruments/test_statistics.py": "from claims.instruments import statistics\n",
        "tests/framework/conftest.py": "import pytest\n",
        "benchmarks/test_speed.py": "from tests.common import helpers\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_well_laid_out_tree_passes_every_check(tree: Path):
    assert imports_of_test_modules(tree) == []
    assert claim_folder_problems(tree) == []
    assert experiments_tested_in_instruments(tree) == []


@pytest.mark.parametrize(
    "source",
    [
        "from tests.claims.toy_claim.test_toy import HELP\n",
        "from tests.claims.toy_claim import test_toy\n",
        "import tests.framework.conftest\n",
        "from tests.framework.conftest import something\n",
        "def helper():\n    from .test_toy import HELP\n",
        "from . import conftest\n",
    ],
)
def test_an_import_of_a_test_module_or_a_conftest_is_found(tree: Path, source: str):
    (tree / "tests" / "claims" / "toy_claim" / "conftest.py").write_text("")
    (tree / "tests" / "claims" / "toy_claim" / "test_other.py").write_text(source)
    (found,) = imports_of_test_modules(tree)
    assert found.startswith("tests/claims/toy_claim/test_other.py:")


def test_a_helper_importing_a_test_module_is_found_too(tree: Path):
    (tree / "tests" / "common" / "plants.py").write_text(
        "from tests.claims.toy_claim.test_toy import HELP\n"
    )
    assert imports_of_test_modules(tree) == [
        "tests/common/plants.py:1 imports tests.claims.toy_claim.test_toy"
    ]


@pytest.mark.parametrize(
    "planted, problem",
    [
        ("tests/claims/toy/__init__.py", "tests/claims/toy/ is not named after a claim module"),
        ("tests/claims/vocabulary/__init__.py", "tests/claims/vocabulary/ is not named after"),
        ("tests/claims/shared_runs.py", "tests/claims/shared_runs.py is not named after"),
        ("claims/catalog/other_claim.py", "tests/claims/other_claim/ does not exist"),
    ],
)
def test_a_claim_folder_without_its_catalog_module_is_found(tree: Path, planted, problem):
    (tree / planted).parent.mkdir(parents=True, exist_ok=True)
    (tree / planted).write_text(CLAIM_MODULE if planted.startswith("claims/") else "")
    (found,) = claim_folder_problems(tree)
    assert problem in found


@pytest.mark.parametrize(
    "source",
    [
        "from claims.experiments.chat import model\n",
        "import claims.experiments.policies\n",
        "from claims import experiments\n",
    ],
)
def test_an_experiment_tested_in_tests_instruments_is_found(tree: Path, source: str):
    (tree / "claims" / "experiments").mkdir(parents=True)
    (tree / "claims" / "experiments" / "__init__.py").write_text("")
    (tree / "tests" / "instruments" / "test_policies.py").write_text(source)
    (found,) = experiments_tested_in_instruments(tree)
    assert found.startswith("tests/instruments/test_policies.py:1 imports claims.experiments")
