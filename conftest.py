"""Top-level conftest: load the claims plugin for every test run from this checkout."""

import torch

# One intra-op thread: xdist workers would otherwise oversubscribe the two cores, and float
# reductions then chunk the same way in serial and distributed runs.
torch.set_num_threads(1)

# pytester drives the plugin in scratch projects (tests/framework).
pytest_plugins = ["claims.engine.plugin", "pytester"]
