"""``python -m claims``: the command line (see claims/cli/main.py)."""

import sys

from claims.cli.main import main

sys.exit(main())
