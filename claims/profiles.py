"""Hypothesis settings profiles, all registered here and chosen by HYPOTHESIS_PROFILE.

- ``dev``: a quick look while editing (few examples, random, example database on).
- ``ci``: the default of ``make test`` and ``make report``. Derandomized (the seed is derived
  from each test's source) with no example database, so the committed report reproduces.
- ``thorough``: a deep run with many more examples; use before citing a property-tested result.

Common to all: no deadline (shared CPUs make timings meaningless; see DEVELOPERS.md), the
``@reproduce_failure`` blob printed for every failure, and only the shrunk minimal failure
reported. The ``function_scoped_fixture`` health check is suppressed because the one
function-scoped fixture claim tests take, ``measurements``, is meant to accumulate across
examples (it folds values with max/min/sum); networks themselves are rebuilt from drawn seeds.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEFAULT_PROFILE = "ci"
ENVIRONMENT_VARIABLE = "HYPOTHESIS_PROFILE"

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "report_multiple_bugs": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}

PROFILES = {
    "dev": settings(max_examples=10, **_COMMON),
    "ci": settings(max_examples=100, derandomize=True, database=None, **_COMMON),
    "thorough": settings(max_examples=2000, **_COMMON),
}

for _name, _settings in PROFILES.items():
    settings.register_profile(_name, _settings)


def selected_profile() -> str:
    name = os.environ.get(ENVIRONMENT_VARIABLE, DEFAULT_PROFILE)
    if name not in PROFILES:
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE}={name!r} is not a profile; choose one of {', '.join(PROFILES)}"
        )
    return name


def load_selected_profile() -> str:
    name = selected_profile()
    settings.load_profile(name)
    return name
