"""The ``claims`` command line (README, "Command line"): main (the commands), scaffold (``new``)."""

from claims.cli.main import main

__all__ = ["main"]
