"""Compare a fresh run's decisions with the committed report.

``make test`` runs this after pytest. It compares what the report decides -- each sentence's
verdict or not-checked status, claim verdicts, findings, and each test's outcome -- and ignores
what legitimately moves between machines: the ``run`` block, measured floats (and so keys),
durations and counterexample text.

    python -m claims.report.drift FRESH.json COMMITTED.json
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from claims.report.document import ReportError, load


def decisions(document: dict[str, Any]) -> dict[str, str]:
    """Flatten a report to 'where -> decision' pairs."""
    flat: dict[str, str] = {}
    for source in document["documents"]:
        for sentence in source["sentences"]:
            flat[f"sentence {source['name']}:{sentence['id']}"] = (
                sentence["verdict"] if sentence["checked"] else "not checked"
            )
    for claim in document["claims"]:
        flat[f"{claim['id']} verdict"] = claim["verdict"]
        for proposition in claim["propositions"]:
            flat[f"{proposition['id']} expected"] = proposition["expected"]
            flat[f"{proposition['id']} finding"] = proposition["finding"]
            for evidence in proposition["evidence"]:
                flat[f"{proposition['id']} {evidence['test']}"] = evidence["outcome"]
    return flat


def differences(fresh: dict[str, Any], committed: dict[str, Any]) -> list[str]:
    new, old = decisions(fresh), decisions(committed)
    return [
        f"{where}: committed {old.get(where, 'absent')}, fresh run {new.get(where, 'absent')}"
        for where in sorted(set(new) | set(old))
        if new.get(where) != old.get(where)
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m claims.report.drift FRESH.json COMMITTED.json", file=sys.stderr)
        return 2
    try:
        fresh, committed = (load(Path(p)) for p in argv)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not fresh["run"].get("complete"):
        print(f"error: {argv[0]} is a partial run; compare a full run", file=sys.stderr)
        return 2
    found = differences(fresh, committed)
    if found:
        print(
            f"The committed report {argv[1]} is stale; {len(found)} decision(s) moved:",
            file=sys.stderr,
        )
        for line in found:
            print(f"  {line}", file=sys.stderr)
        print(
            "Run `make report` and commit reports/ if the new findings are right.", file=sys.stderr
        )
        return 1
    print(f"{argv[1]} matches the fresh run ({len(decisions(fresh))} decisions compared).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
