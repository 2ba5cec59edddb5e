"""claims: a formal-claims verification suite for arguments about how neural networks learn.

Note [Claims]
=============

WHY
  An argument in prose ("an inactive ReLU passes no gradient, so RL reinforces only the circuits
  it uses") mixes exact mathematics, approximations and empirical bets. A reviewer who wants to
  cite it needs each piece separated, checked by the strongest method that applies, and reported
  with the evidence -- including where a piece stops holding. Expectations are data, recorded
  before the checks run, so a changed finding is visible rather than absorbed.

WHAT'S TESTED
  The data flows one way:

    catalog (claims/catalog/*.py)      Claim -> Propositions, each with a formal statement,
                                        scope, role (core/boundary) and expected finding
      -> tests (tests/claims/**)       each test is marked @pytest.mark.claim("<id>", kind=...)
      -> plugin (pytest_plugin, run)   validates markers, captures outcome, Hypothesis examples,
                                        counterexamples, measurements; only the controller aggregates
      -> verdicts (verdicts.py)        evidence -> findings -> claim verdict and strength
      -> JSON (report/document.py)     reports/claims.json, the single source for renderers
      -> Markdown (report/markdown.py) reports/claims.md; terminal summary; drift check

  A test passes when its proposition behaves as the catalog expects: expected-HOLDS tests are
  ordinary tests; expected-FAILS tests run as strict xfail (raises=AssertionError), so pytest
  stays green while the counterexample keeps being found and turns red when it is not. Any other
  exception, a skip, or a non-finite measurement is ERROR and red. The verdict rules are at the
  top of claims/verdicts.py.

  Mechanisms: activations.py (torch + SymPy forms of each activation), nets.py (explicit-tensor
  networks built from a seed), strategies.py (Hypothesis strategies), symbolic.py (SymPy that
  never treats "undecided" as proved), profiles.py (Hypothesis profiles), evidence.py,
  registry.py (catalog validation), source.py (the quoted text, shipped in claims/data).

ADDING A NEW ONE
  1. Write claims/catalog/<claim_id>.py defining CLAIM (copy an existing module's shape); cite
     sentences by id with verbatim quotes.
  2. Add it to CATALOG in claims/catalog/__init__.py. Its propositions now show as UNTESTED.
  3. Write tests under tests/claims/<claim>/, one or more per proposition, each marked
     @pytest.mark.claim("<claim-id>/<name>", kind="symbolic"|"certified"|"property"|
     "experiment"|"real-model"). Make each new test fail once on a planted bug.
  4. Run `make report`, read reports/claims.md, commit catalog, tests and reports together.
"""
