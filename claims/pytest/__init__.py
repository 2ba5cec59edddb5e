"""The pytest integration, on top of the engine and the reports (docs/layout.md).

plugin (claim markers, the ``measurements`` fixture, evidence capture; loaded by the top-level
conftest.py), session (one session's collection and judging, and the report it writes),
scheduling (the xdist scheduler for ``claims_groups``), threads (torch threads per worker),
global_state (the torch state a claim test must restore), staging (a run's figure folder),
parametrize (one test case per catalog proposition or grid cell).
"""
