"""Top-level conftest: load the claims plugin for every test run from this checkout."""

# claims.pytest.threads sets torch's threads to the available cores over the xdist workers (all
# of them in a serial run); pytester drives the plugin in scratch projects (tests/framework).
# Tests that must share one xdist worker (the chat model's) are declared in pyproject.toml's
# claims_groups (claims/engine/sharding.py schedules and shards them).
pytest_plugins = ["claims.pytest.plugin", "claims.pytest.threads", "pytester"]
