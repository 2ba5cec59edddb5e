"""The pre-registration record: what the catalog decided before the tests that measure it ran.

README, "Adding a claim": roles, expectations, thresholds, margins, seed counts and step counts
go into the catalog in a commit of their own, before the commit that adds or changes the tests
that measure them. That order is in git; this module makes a later change to those decisions
visible. ``claims/catalog/preregistered.json`` holds, per proposition, its role, expected finding,
formalized sentences, grid cell and registration provenance (blind or informed), the sentences
left unchecked, and per catalog module its numeric design constants
(module-level UPPER_CASE numbers and tuples of numbers). A framework test requires the file to
match the catalog, so moving a threshold or an expectation means rewriting the record on purpose:

    python -m claims.engine.preregistration --write    # re-register (say why in the catalog docstring)
    python -m claims.engine.preregistration            # check: exit 1 and one line per difference

Each catalog module's docstring names the commit that pre-registered it ("Pre-registered in
commit <hash>"), which tests/framework/test_preregistration.py checks against git history.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from claims.engine.records import Claim, sentence_key

RECORD = Path(__file__).parents[1] / "catalog" / "preregistered.json"


def _numbers(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, tuple) and bool(value) and all(_numbers(v) for v in value)


def constants(module: ModuleType) -> dict[str, Any]:
    """The module's design constants: UPPER_CASE names bound to numbers or tuples of numbers."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in sorted(vars(module).items())
        if name.isupper() and _numbers(value)
    }


def decisions(claim: Claim) -> dict[str, dict[str, Any]]:
    """Per proposition, the fields a result must never move."""
    found = {}
    for p in claim.propositions:
        found[p.id] = {
            "role": str(p.role),
            "expected": str(p.expected),
            "formalizes": list(p.formalizes),
            "grid": p.grid,
            "cell": dict(sorted(p.cell.items())),
        }
        if p.registration is not None:
            found[p.id]["provenance"] = str(p.registration.provenance)
        if p.reregistered:
            found[p.id]["reregistered"] = p.reregistered
    return found


def record(package: str = "claims.catalog") -> dict[str, Any]:
    """The current catalog's decisions, keyed by claim id, with each module's constants."""
    catalog = importlib.import_module(package)
    claims: dict[str, Any] = {}
    for claim in catalog.CATALOG:
        module = _module_of(claim, package)
        claims[claim.id] = {
            "module": module.__name__,
            "constants": constants(module),
            "propositions": decisions(claim),
        }
    # "<document>:<sentence id>", one sentence across documents (claims.engine.records.sentence_key).
    unchecked = {
        sentence_key(u.document, u.sentence) + (f" ({u.clause})" if u.clause else "")
        for u in getattr(catalog, "NOT_CHECKED", ())
    }
    return {"claims": claims, "not_checked": sorted(unchecked)}


def _module_of(claim: Claim, package: str) -> ModuleType:
    name = f"{package}.{claim.id.replace('-', '_')}"
    module = importlib.import_module(name)
    if getattr(module, "CLAIM", None) is not claim:
        raise ValueError(f"claim {claim.id!r} is not CLAIM of {name}")
    return module


def differences(current: dict[str, Any], registered: dict[str, Any]) -> list[str]:
    """One line per decision that differs between the catalog and the record."""
    found: list[str] = []

    def walk(path: str, now: Any, then: Any) -> None:
        if isinstance(now, dict) and isinstance(then, dict):
            for key in sorted(set(now) | set(then)):
                walk(f"{path}.{key}" if path else key, now.get(key), then.get(key))
        elif now != then:
            found.append(f"{path}: registered {then!r}, catalog now {now!r}")

    walk("", current, registered)
    return found


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m claims.engine.preregistration", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--write", action="store_true", help="rewrite the record (re-register)")
    args = parser.parse_args(argv)
    current = record()
    if args.write:
        RECORD.write_text(dumps(current), encoding="utf-8")
        print(f"wrote {RECORD}")
        return 0
    try:
        registered = json.loads(RECORD.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: {RECORD}: {error}", file=sys.stderr)
        return 2
    found = differences(current, registered)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
