"""The package's imports point one way (docs/layout.md): claims.engine at the bottom, pure;
claims.pytest and claims.cli on top. Every import counts, at module or function level, so no
function-level import can hide a cycle; and only claims.cli (which keeps ``claims --help``
quick) and claims.experiments (which loads a model's stack only when a run needs it) may import
a claims module inside a function.

Checked on the source text (ast), without importing anything; the checker itself is shown to
fail on a planted cycle, an upward import and a hidden function-level import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each package may import besides itself. Packages not named here may import nothing of
# claims. The catalog is data (records from the engine only); the experiments get their design
# constants from the catalog as arguments, never by import.
ALLOWED = {
    "claims": {"claims.cli"},
    "claims.engine": set(),
    "claims.catalog": {"claims.engine"},
    "claims.instruments": {"claims.engine"},
    "claims.experiments": {"claims.engine", "claims.instruments"},
    "claims.report": {"claims.engine"},
    "claims.pytest": {"claims.engine", "claims.report"},
    "claims.cli": {"claims", "claims.catalog", "claims.engine", "claims.report", "claims.pytest"},
}
# Modules a package may name as a string to load by name (importlib, a plugin or ini default):
# the pytest plugin loads the catalog its ini option names, claims.catalog by default.
LOADED_BY_NAME = {"claims.pytest": {"claims.catalog"}}
# Packages whose functions may import claims modules lazily: the command line (start-up time)
# and the experiments (a chat model's stack loads only when a run needs it).
LAZY_IMPORTS = {"claims.cli", "claims.experiments"}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str, root: Path) -> str:
    """claims.<sub> for a module of a subpackage; claims for claims/__init__ and claims/*.py."""
    parts = module.split(".")
    if len(parts) > 1 and root.joinpath("claims", parts[1]).is_dir():
        return ".".join(parts[:2])
    return "claims"


def imports(path: Path, root: Path) -> Iterator[tuple[str, int, bool]]:
    """(imported claims module, line, inside a function) for every import in the file."""
    module = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(n) for n in ast.walk(node) if n is not node}
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = (
                    module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                )
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([base] if base else [])])
            known = {module_name(p, root) for p in root.joinpath("claims").rglob("*.py")}
            # `from claims.report import view` imports the module claims.report.view.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            if target == "claims" or target.startswith("claims."):
                yield target, node.lineno, id(node) in inside


def named_modules(path: Path, root: Path) -> Iterator[tuple[str, int]]:
    """(module, line) for each string that is exactly the dotted name of a claims module or
    package: what importlib.import_module, __import__, a pytest_plugins entry or an ini default
    would load by name, hidden from the import statements."""
    known = {module_name(p, root) for p in root.joinpath("claims").rglob("*.py")}
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
            if node.value != "claims":
                yield node.value, node.lineno


def problems(root: Path) -> list[str]:
    """One line per upward or sideways import, hidden function-level import, and cycle."""
    found, edges = [], {}
    for path in sorted(root.joinpath("claims").rglob("*.py")):
        module = module_name(path, root)
        where = path.relative_to(root)
        for target, line, lazy in imports(path, root):
            mine, theirs = package_of(module, root), package_of(target, root)
            if theirs != mine and theirs not in ALLOWED.get(mine, set()):
                found.append(f"{where}:{line}: {mine} may not import {target}")
            if lazy and mine not in LAZY_IMPORTS:
                found.append(f"{where}:{line}: {target} imported inside a function")
            if target != module:
                edges.setdefault(module, set()).add(target)
        for target, line in named_modules(path, root):
            mine, theirs = package_of(module, root), package_of(target, root)
            allowed = ALLOWED.get(mine, set()) | LOADED_BY_NAME.get(mine, set())
            if theirs != mine and theirs not in allowed:
                found.append(f"{where}:{line}: {mine} may not load {target} by name")
    # Importing a.b.c runs a/__init__ and a/b/__init__ first: a cycle may pass through them.
    for module in list(edges):
        for target in list(edges[module]):
            parts = target.split(".")
            for end in range(2, len(parts)):
                parent = ".".join(parts[:end])
                if parent != module and not module.startswith(parent + "."):
                    edges[module].add(parent)
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan, 1972)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component) + [sorted(component)[0]])

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_packages_import_one_way_without_cycles():
    assert problems(ROOT) == []


# --- the checker fails on each kind of fault ----------------------------------------------------


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"claims/__init__.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        init = path.parent / "__init__.py"
        if not init.exists():
            init.write_text("")
    return tmp_path


@pytest.mark.parametrize(
    "files, said",
    [
        (
            {"claims/engine/verdicts.py": "from claims.report.markdown import number\n"},
            "claims.engine may not import claims.report.markdown",
        ),
        (
            {"claims/report/sections.py": "from claims.pytest import session\n"},
            "claims.report may not import claims.pytest",
        ),
        (
            {"claims/report/html.py": "def main():\n    from claims.report import publish\n"},
            "claims.report imported inside a function",
        ),
        (
            {
                "claims/report/html.py": "from claims.report import stability\n",
                "claims/report/stability.py": "def f():\n    import claims.report.html\n",
            },
            "import cycle: claims.report.html -> claims.report.stability -> claims.report.html",
        ),
        (
            {
                "claims/pytest/plugin.py": "",
                "claims/engine/run.py": "import importlib\nimportlib.import_module('claims.pytest.plugin')\n",
            },
            "claims.engine may not load claims.pytest.plugin by name",
        ),
        (
            {
                "claims/report/a.py": "from claims.report.sub import b\n",
                "claims/report/sub/b.py": "",
                "claims/report/sub/__init__.py": "from claims.report import a\n",
            },
            "import cycle: claims.report.a -> claims.report.sub -> claims.report.a",
        ),
    ],
    ids=["upward", "sideways", "hidden", "cycle", "by-name", "through-a-package"],
)
def test_the_checker_names_each_fault(tmp_path, files, said):
    found = problems(tree(tmp_path, files))
    assert any(said in line for line in found), found
