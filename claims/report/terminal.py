"""The table printed at the end of a pytest run that ran claim tests."""

from __future__ import annotations

from typing import Any


def summary_lines(document: dict[str, Any]) -> list[str]:
    rows = [("claim", "verdict", "strength", "key number")]
    rows += [
        (c["id"], c["verdict"], c["strength"] or "-", c["key"] or "-") for c in document["claims"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    mismatched = [
        f"  {p['id']}: expected {p['expected']}, found {p['finding']}"
        for c in document["claims"]
        for p in c["propositions"]
        if p["finding"] not in (p["expected"], "NOT_RUN")
    ]
    if mismatched:
        lines += ["findings that differ from the catalog:", *mismatched]
    return lines
