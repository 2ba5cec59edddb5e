"""How every report shows a number: the one formatter of the Markdown, the HTML, the terminal,
keys and ``claims show``.

A JSON report writes a non-finite value a test observed as "nan", "inf" or "-inf"
(claims.engine.evidence.json_number); ``shown_number`` names it as a reader would ("NaN", "∞",
"−∞"). ``number`` prints an integral float as an integer and otherwise ``digits`` significant
digits (Python's ``g`` format, https://docs.python.org/3/library/string.html#format-spec), or
every digit of its shortest round-trip repr when ``digits`` is None.
"""

from __future__ import annotations

from typing import Any

NONFINITE = {"nan": "NaN", "inf": "∞", "-inf": "−∞"}
# Beyond this an integral float is shown in exponent form, not as a 16-digit integer.
_INTEGRAL_BELOW = 1e15


def shown_number(value: Any) -> str | None:
    """How a report shows a JSON-written non-finite value ("NaN", "∞", "−∞"); None otherwise."""
    return NONFINITE.get(value) if isinstance(value, str) else None


def number(value: Any, digits: int | None = 4) -> str:
    """``value`` as a report shows it: "—" for None, "3" for 3.0, "0.1235" for 0.123456 (4
    digits); text (a table cell, a JSON-written non-finite value) as it is."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) < _INTEGRAL_BELOW:
        return str(int(value))
    if isinstance(value, float) and digits is not None:
        return f"{value:.{digits}g}"
    return str(value)
