"""``python -m claims``: the command line (see claims/cli.py)."""

import sys

from claims.cli import main

sys.exit(main())
