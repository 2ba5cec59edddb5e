"""Top-level conftest: load the claims plugin for every test run from this checkout."""

import pytest

# claims.engine.threads sets torch's threads to the available cores over the xdist workers (all
# of them in a serial run); pytester drives the plugin in scratch projects (tests/framework).
pytest_plugins = ["claims.engine.plugin", "claims.engine.threads", "pytester"]

# Module whose tests share one xdist worker under `--dist loadgroup` (make test, make report,
# `claims run -n N`): the chat model's claim tests read runs that tests/claims/chat_runs.py
# computes once per process (README, "The real chat model"), so on one worker they are computed
# once per session. pytest-xdist's own xdist_group marker cannot do this here: it regroups by
# renaming node ids, which pytest 9 no longer lets a plugin do.
TOGETHER = {"test_smollm2.py": "smollm2"}


# optionalhook: runs with -p no:xdist do not know the hook.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under --dist loadgroup: one scope for the TOGETHER modules' tests, one per other test."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedChatRuns(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0].rsplit("/", 1)[-1]
            return TOGETHER.get(module, nodeid)

    return SharedChatRuns(config, log)
