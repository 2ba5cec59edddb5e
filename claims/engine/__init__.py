"""The verdict engine: how every claim is judged, pure (no pytest, no report). A change here
changes every report.

records (the vocabulary: Claim, Proposition, Finding, Verdict, EvidenceKind, ...), registry (the
catalog's validation), sources (the quoted documents), evidence (what one test contributes, and
its one JSON codec), verdicts (the README's verdict rules and ``judge``), numbers (how a number
is shown), sharding (which tests run together: groups and shard slices, as pure rules),
untrusted (bounded reads and strict JSON for what someone else wrote), preregistration (the
record of the catalog's decisions), freshness (whether committed evidence still applies),
profiles (Hypothesis settings). Imports nothing else of claims (docs/layout.md).
"""
