"""The pre-registration record: what the catalog decided before the tests that measure it ran.

docs/integrity.md, "Pre-registration": roles, expectations, thresholds, margins, seed counts and step counts
go into the catalog in a commit of their own, before the commit that adds or changes the tests
that measure them. That order is in git; this module makes a later change to those decisions
visible. ``claims/catalog/preregistered.json`` holds, per proposition, its role, expected finding,
formalized sentences, grid cell and registration provenance (blind or informed), the sentences
left unchecked, and per catalog module its numeric design constants
(module-level UPPER_CASE numbers and tuples of numbers). A framework test requires the file to
match the catalog, so moving a threshold or an expectation means rewriting the record on purpose:

    claims preregistration --write    # re-register (say why in the catalog docstring)
    claims preregistration            # check: exit 1 and one line per difference

(the command line is claims.cli.preregistration; this module takes the catalog package as an
argument and imports nothing of it by name, as claims.engine imports nothing above it).

Rewriting the record refuses a moved decision that does not say why (README, "Registration"): a
proposition whose role or expected finding changes must carry a ``reregistered`` note and
``informed`` provenance, and a design constant that changes or disappears must be named, with its
note, in its module's ``REREGISTERED_CONSTANTS`` ({name: note}). New propositions and new
constants need neither. tests/framework/test_preregistration.py applies the same rule to every
rewrite of the record in git history since RULE_SINCE.

Each catalog module's docstring names the commit that pre-registered it ("Pre-registered in
commit <hash>"), which tests/framework/test_preregistration.py checks against git history.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from claims.engine.records import Claim, sentence_key

# The record's file name, beside the catalog package's __init__.py.
RECORD_NAME = "preregistered.json"


def record_path(catalog: ModuleType) -> Path:
    """Where ``catalog`` (the imported catalog package) keeps its record."""
    return Path(catalog.__file__).parent / RECORD_NAME


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


def record(catalog: ModuleType) -> dict[str, Any]:
    """The decisions of ``catalog`` (the imported catalog package), keyed by claim id, with each
    claim module's constants."""
    claims: dict[str, Any] = {}
    for claim in catalog.CATALOG:
        module = _module_of(claim, catalog.__name__)
        claims[claim.id] = {
            "module": module.__name__,
            "constants": constants(module),
            "propositions": decisions(claim),
        }
        notes = getattr(module, "REREGISTERED_CONSTANTS", {})
        if notes:
            claims[claim.id]["constants_reregistered"] = dict(sorted(notes.items()))
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
        elif then is None and isinstance(now, dict):
            found.append(f"{path}: in the catalog, not registered")  # a new claim or proposition
        elif now != then:
            found.append(f"{path}: registered {then!r}, catalog now {now!r}")

    walk("", current, registered)
    return found


# The record as it last landed before the rule of this module's docstring (9bdd962): every
# decision moved since then says why in the record as it stands now. From RULE_SINCE (the commit
# that gave the re-audit's and the review's moves their notes) on, every rewrite says why itself.
LANDED_BEFORE_RULE = "9bdd962"
RULE_SINCE = "88f5b1b"
# What may not move without a note, per proposition.
MOVABLE_WITH_A_NOTE = ("role", "expected")


def unnoted_changes(current: dict[str, Any], registered: dict[str, Any]) -> list[str]:
    """One line per decision that moved from ``registered`` to ``current`` without saying why:
    a proposition's role or expected finding changed while ``current`` gives it no
    ``reregistered`` note or no informed provenance; a claim's design constant changed or
    removed without a note in ``constants_reregistered``."""
    found: list[str] = []
    for claim_id, then in registered.get("claims", {}).items():
        now = current.get("claims", {}).get(claim_id)
        if now is None:
            continue  # a claim leaving the catalog takes its decisions with it
        for pid, old in then.get("propositions", {}).items():
            new = now.get("propositions", {}).get(pid)
            if new is None:
                continue
            moved = [f for f in MOVABLE_WITH_A_NOTE if old.get(f) != new.get(f)]
            if moved and not (new.get("reregistered") and new.get("provenance") == "informed"):
                what = ", ".join(f"{f} {old.get(f)} -> {new.get(f)}" for f in moved)
                found.append(
                    f"{pid}: {what} without a re-registration (reregistered='why' and informed "
                    "provenance)"
                )
        notes = now.get("constants_reregistered", {})
        for name, value in then.get("constants", {}).items():
            if now.get("constants", {}).get(name) != value and name not in notes:
                found.append(
                    f"{claim_id}: constant {name} moved ({value!r} -> "
                    f"{now.get('constants', {}).get(name)!r}) without a note in the module's "
                    "REREGISTERED_CONSTANTS"
                )
    return found


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
