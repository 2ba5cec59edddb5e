"""Reading what someone else wrote: regular files of bounded size, and strict JSON.

``read_file`` reads a regular file of at most a stated size and refuses anything else without
blocking or reading on: ``/dev/zero`` would grow until the kernel killed the reader, and a FIFO
would block it forever (``claims import-source``, every report reader).

``loads`` reads JSON as this suite writes it: standard JSON only, never deeper than a report.

Python's ``json.loads`` accepts ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON
(RFC 8259, section 6: "Numeric values that cannot be represented ... such as Infinity and NaN
are not permitted"); the suite writes an observed non-finite value as the string "nan", "inf"
or "-inf" with its name under ``nonfinite`` (claims.engine.evidence), so a bare NaN in a file
was written by hand, and a reader that took it would show ``inf`` as if it were a measurement.
``json.loads`` also raises RecursionError on a deeply nested document (``[[[[...]]]]``), which
a command would report as an internal error. ``loads`` turns each into one UntrustedInput line.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

# How deeply arrays and objects may nest. The report's deepest path (claims -> propositions ->
# evidence -> tables -> rows -> row) is 11 levels; 64 leaves room for any schema change, and
# no reader recurses that far.
MAX_DEPTH = 64


class UntrustedInput(ValueError):
    """A file or text this suite refuses to read (one line, without the file's name)."""


# What a file that is not a regular file is, in words.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_file(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Opened without blocking (O_NONBLOCK: a FIFO with no writer opens at once) and checked with
    fstat on the open file, so what is read is what was checked. Raises UntrustedInput for a
    directory, FIFO, device or socket (nothing read) and for a file over ``limit`` bytes (at
    most limit + 1 read); OSError (FileNotFoundError, PermissionError, ...) as ``open`` does.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError:
        os.close(descriptor)
        raise
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = next((said for test, said in _KINDS if test(mode)), "not a file")
        raise UntrustedInput(f"is {kind}, not a regular file; refusing to read it")
    with os.fdopen(descriptor, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UntrustedInput(f"is larger than {limit:,} bytes, the most this reads")
    return data


def _refuse_constant(constant: str) -> Any:
    raise UntrustedInput(
        f"{constant} is not a JSON number (a non-finite value the suite observed is written as "
        'the string "nan", "inf" or "-inf")'
    )


def loads(text: str | bytes) -> Any:
    """``json.loads`` without NaN/Infinity literals or nesting deeper than MAX_DEPTH.

    Raises UntrustedInput (a ValueError, one line) for text that is not JSON, a NaN, Infinity or
    -Infinity literal, or nesting deeper than MAX_DEPTH.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise UntrustedInput(f"nested more than {MAX_DEPTH} levels deep") from error
    except json.JSONDecodeError as error:
        raise UntrustedInput(f"not JSON: {error}") from error
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    """Walk without recursion (a deep document must not exhaust the stack here either)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise UntrustedInput(f"nested more than {MAX_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in children)
