"""The ``claims`` command line (docs/command-line.md): main (the commands and their parser),
check (``check``: catalog, record and bindings, no test run), scaffold (``new``), importing
(``import-source``); stability, drift and preregistration keep their options in their own
modules."""

from claims.cli.main import main

__all__ = ["main"]
