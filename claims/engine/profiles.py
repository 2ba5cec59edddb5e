"""Hypothesis settings profiles, all registered here and chosen by HYPOTHESIS_PROFILE.

- ``ci``: the default of ``make test`` and ``make report``: 1000 examples per property,
  derandomized (the seed is derived from each test's source) with no example database, so the
  committed report reproduces. 1000, not 100: a search 10 times deeper than 100 found two
  counterexamples (float64 underflow in a column norm and in a sign check) that 100 missed; at
  1000, a search 10 times deeper again (``deep``) and random seeds change no finding (docs/depth-and-stability.md,
  "How deep the search is").
- ``deep``: the same, 10 000 examples: the depth check ``make depth`` runs it.
- ``thorough``: 2000 examples with a random seed (``--hypothesis-seed=N`` to fix one); the depth
  check runs it under several seeds.
- ``dev``: a quick look while editing (10 examples, random, example database on).
- ``quick``: 100 derandomized examples, for the framework tests that run the claim suite to
  check the machinery (planted bugs flip findings; xdist and shards agree with a serial run).

Common to all: no deadline (shared CPUs make timings meaningless), the
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

# Every profile starts from Hypothesis's own defaults, never from the profile loaded at import
# time: Hypothesis loads its built-in "ci" profile (derandomized) when it sees a CI environment
# variable, and ``settings(...)`` without a parent inherits from whatever is loaded, so under CI
# the random ``dev`` and ``thorough`` profiles silently became derandomized.
# https://hypothesis.readthedocs.io/en/latest/reference/api.html#settings-profiles
_COMMON = {
    "parent": settings.get_profile("default"),
    "deadline": None,
    "print_blob": True,
    "report_multiple_bugs": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}

PROFILES = {
    "dev": settings(max_examples=10, **_COMMON),
    "ci": settings(max_examples=1000, derandomize=True, database=None, **_COMMON),
    "deep": settings(max_examples=10_000, derandomize=True, database=None, **_COMMON),
    "thorough": settings(max_examples=2000, database=None, **_COMMON),
    # For the framework's own runs of the claim suite (planted bugs, xdist and shard equality):
    # what they check -- a plant flips a finding, two ways of running agree -- needs no depth.
    "quick": settings(max_examples=100, derandomize=True, database=None, **_COMMON),
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
