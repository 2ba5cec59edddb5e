"""The ``claims`` command line (docs/command-line.md, "Command line"): main (the commands), scaffold (``new``)."""

from claims.cli.main import main

__all__ = ["main"]
