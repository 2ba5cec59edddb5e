"""The Hypothesis profiles (claims/engine/profiles.py) mean the same on every machine.

Hypothesis loads its own derandomized "ci" profile when it sees a CI environment variable; a
profile built on whatever is loaded would change meaning under CI (docs/depth-and-stability.md, "How deep the search
is": ``thorough`` and ``dev`` draw random seeds).
"""

import json
import os
import subprocess
import sys

import pytest

_PRINT_PROFILES = (
    "import json; from claims.engine import profiles; "
    "print(json.dumps({n: [s.max_examples, s.derandomize, s.database is None] "
    "for n, s in profiles.PROFILES.items()}))"
)


def _profiles_under(environment: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env.update(environment)
    out = subprocess.run(
        [sys.executable, "-c", _PRINT_PROFILES], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("environment", [{}, {"CI": "true"}, {"HYPOTHESIS_PROFILE": "dev"}])
def test_each_profile_means_the_same_whatever_the_environment(environment):
    assert _profiles_under(environment) == {
        "dev": [10, False, False],
        "ci": [1000, True, True],
        "deep": [10_000, True, True],
        "thorough": [2000, False, True],
        "quick": [100, True, True],
    }
