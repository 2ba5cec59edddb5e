"""The verdict engine: how every claim is judged. A change here changes every report.

records (the vocabulary: Claim, Proposition, Finding, Verdict, EvidenceKind, ...), registry (the
catalog's validation), sources (the quoted documents), evidence (what one test contributes),
verdicts (findings, verdicts, strength, keys, what survives, sentence accounting), plugin and run
(the pytest plugin and one session's collection), sharding (groups of tests that run together,
the xdist scheduler, shard slices), staging (a run's figure folder, removed on every exit), global_state (the torch state a claim test must restore), untrusted (bounded reads and strict JSON for what someone
else wrote), preregistration (the record of the catalog's decisions), profiles (Hypothesis
settings). See "Note [Claims]" in claims/__init__.py.
"""
