"""pytest parameters that tie each test case to its catalog proposition.

A conditions grid (claims.engine.records.Grid) is one statement tested across conditions, one
proposition per cell; a test over the grid is parametrized with grid_params, so each case
carries its own ``@pytest.mark.claim(<proposition id>, kind=...)`` and its cell's coordinates,
in catalog order. proposition_params does the same for a plain list of propositions.

Both read the catalog records through getattr with defaults (``grid``/``cell`` on a
proposition, ``grids`` on a claim), so they import and work with records that predate grids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest


def grid_params(
    claim: Any, grid_name: str, kind: str | Callable[[dict[str, str]], str]
) -> list[Any]:
    """One pytest.param(cell, marks=claim mark, id="<value>-<value>") per proposition of
    ``claim`` whose ``grid`` is ``grid_name``, in the catalog's order.

    ``kind``: the evidence kind of every case, or a function of the cell giving each its own
    (cells decided exactly beside cells decided by statistics, e.g. "construction" for the ReLU
    family and "experiment" for smooth activations).

    ``cell`` is a plain dict copy of the proposition's coordinates ({"activation": "GELU", ...});
    the id joins the values in the grid's axis order (the claim's Grid of that name), or in the
    cell's own order where the claim declares no such Grid.
    Errors: ValueError if no proposition belongs to the grid (a misspelt name would otherwise
    collect no test at all) or a cell lacks one of the grid's axes.
    """
    grids = {grid.name: grid for grid in getattr(claim, "grids", ())}
    axes = tuple(grids[grid_name].axes) if grid_name in grids else None
    params = []
    for proposition in claim.propositions:
        if getattr(proposition, "grid", None) != grid_name:
            continue
        cell = dict(getattr(proposition, "cell", None) or {})
        order = axes if axes is not None else tuple(cell)
        missing = [axis for axis in order if axis not in cell]
        if missing:
            raise ValueError(f"{proposition.id}: cell {cell} lacks the grid's axes {missing}")
        params.append(
            pytest.param(
                cell,
                marks=pytest.mark.claim(
                    proposition.id, kind=kind(dict(cell)) if callable(kind) else kind
                ),
                id="-".join(str(cell[axis]) for axis in order),
            )
        )
    if not params:
        raise ValueError(f"{claim.id}: no proposition belongs to the grid {grid_name!r}")
    return params


def proposition_params(claim: Any, ids: Sequence[str] | Mapping[Any, str], kind: str) -> list[Any]:
    """One pytest.param per proposition named in ``ids``, marked with its claim marker.

    ``ids`` names propositions by full id ("<claim-id>/<name>") or by name alone. As a sequence,
    each param's value and test id are the proposition's name; as a mapping value -> proposition,
    the value is the key (e.g. {"relu": "transformer-trigger-...-relu"}) and the test id str(key).
    Errors: ValueError for a name that is not a proposition of ``claim``.
    """
    known = {proposition.id for proposition in claim.propositions}
    pairs = ids.items() if isinstance(ids, Mapping) else ((None, name) for name in ids)
    params = []
    for value, name in pairs:
        full = name if "/" in name else f"{claim.id}/{name}"
        if full not in known:
            raise ValueError(f"{name!r} is not a proposition of {claim.id}")
        short = full.split("/", 1)[1]
        params.append(
            pytest.param(
                short if value is None else value,
                marks=pytest.mark.claim(full, kind=kind),
                id=short if value is None else str(value),
            )
        )
    return params
