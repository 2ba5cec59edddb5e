"""``claims preregistration [--write]``: check the catalog against its pre-registration record, or
rewrite the record (docs/integrity.md, "Pre-registration"; the rules are
claims.engine.preregistration's).

Exit 0 when the record matches; 1 with one line per difference (or per refused move when
writing); 2 when the record cannot be read.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from claims.engine import preregistration, untrusted

# The catalog package the record describes (the plugin's default claims_catalog too).
CATALOG = "claims.catalog"


def build_parser(
    prog: str = "claims preregistration", add_help: bool = True
) -> argparse.ArgumentParser:
    """The command's options (``claims preregistration``, claims.cli.main)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Check the catalog against its pre-registration record, or rewrite it.",
        add_help=add_help,
    )
    parser.add_argument("--write", action="store_true", help="rewrite the record (re-register)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Check the catalog against the record (exit 1, one line per difference), or rewrite it."""
    catalog = importlib.import_module(CATALOG)
    path = preregistration.record_path(catalog)
    current = preregistration.record(catalog)
    try:
        registered = untrusted.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"claims preregistration: error: {path}: {error}", file=sys.stderr)
        return 2
    if args.write:
        refused = preregistration.unnoted_changes(current, registered)
        for line in refused:
            print(f"refused: {line}", file=sys.stderr)
        if refused:
            print(f"{path} not rewritten: say why each decision moved", file=sys.stderr)
            return 1
        path.write_text(preregistration.dumps(current), encoding="utf-8")
        print(f"wrote {path}")
        return 0
    found = preregistration.differences(current, registered)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0
