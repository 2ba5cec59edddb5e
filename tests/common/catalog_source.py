"""Reading catalog source as data: the records calls built with positional arguments (used by
tests/framework/test_catalog_as_data.py on claims/catalog, and by the scaffold tests on what
`claims new` writes)."""

import ast
from collections.abc import Iterator

from claims.engine import records

# The records classes and constructors of claims/engine/records.py a catalog calls.
RECORDS = frozenset(
    name
    for name, value in vars(records).items()
    if getattr(value, "__module__", None) == records.__name__
    and (isinstance(value, type) or name in ("blind", "informed"))
)


def positional_record_calls(source: str) -> Iterator[tuple[int, str]]:
    """(line, class) of each call of a records class with a positional argument."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in RECORDS:
                yield node.lineno, name
