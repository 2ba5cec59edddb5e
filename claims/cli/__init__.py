"""The ``claims`` command line (README, "Command line"): main (the commands and their parser),
check (``check``: catalog, record and bindings, no test run), scaffold (``new``), importing
(``import-source``); stability, html, drift and preregistration keep their options in their
own modules."""

from claims.cli.main import main

__all__ = ["main"]
