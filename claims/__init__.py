"""claims: a formal-claims verification suite for arguments about how neural networks learn.

Note [Claims]
=============

WHY
  An argument in prose ("an inactive ReLU passes no gradient, so RL reinforces only the circuits
  it uses") mixes exact mathematics, approximations and empirical bets. A reviewer who wants to
  cite it needs each piece separated, checked by the strongest method that applies, and reported
  with the evidence -- including where a piece stops holding, and which sentences nobody checked.
  Expectations are data, recorded (and committed) before the checks run, so a changed finding is
  visible rather than absorbed.

WHAT'S TESTED
  The data flows one way:

    sources (claims/data/sources/)     the texts under test, one file per document, one numbered
                                        sentence per line ([S09] ...); `claims import-source`
                                        writes one from prose
      -> catalog (claims/catalog/*.py) Claim -> Propositions, each with a formal statement, scope,
                                        role read from the source (asserted: the weakest faithful
                                        reading of the quoted sentences, naming the sentences it
                                        formalizes and the words it rests on; lemma: a fact the
                                        checks rely on, never decides; beyond: a stronger reading
                                        or the claim carried further), expected finding, how it
                                        was registered (blind or informed), a statistical design's
                                        power, optional key (its decisive number in words) and
                                        grid cell; NOT_CHECKED lists the sentences (or clauses)
                                        left unchecked, with reasons
      -> registry (engine/registry.py) every rule one CatalogError line; every quote verbatim in
                                        its own document; per cited document, every sentence
                                        formalized by an asserted proposition or not checked
      -> tests (tests/claims/**)       each test is marked @pytest.mark.claim("<id>", kind=...)
      -> plugin (pytest/plugin,        validates markers, captures outcome, Hypothesis examples,
         pytest/session)                counterexamples, measurements; only the controller
                                        aggregates, and judges once (engine/verdicts.judge, which
                                        `claims merge` calls too)
      -> verdicts (engine/verdicts)    evidence -> findings -> claim verdict, strength, key
      -> JSON (report/document.py,     reports/claims.json (schema 4), the single source for
         report/sections.py)            renderers: what survives, grids, each sentence's verdict
      -> Markdown, HTML (report/view,  reports/claims.{md,html}, written whole by report/publish:
         markdown, html)                the sources, the argument sentence by sentence, then each
                                        claim; terminal summary; drift check

  A test passes when its proposition behaves as the catalog expects: expected-HOLDS tests are
  ordinary tests; expected-FAILS tests run as strict xfail (raises=AssertionError), so pytest
  stays green while the counterexample keeps being found and turns red when it is not. Any other
  exception, a skip, a non-finite measurement, or a key naming a measurement no test recorded is
  red. The verdict rules are written once, in the README ("Verdict rules"); claims/engine/verdicts.py
  implements them.

WHERE A CHANGE GOES (the tree says it; each package's __init__ lists its modules)
  claims/catalog/       a claim, a proposition, an expectation, a threshold: data, one module per
                        claim, committed before the tests that measure it (docs/adding-a-claim.md, "Adding a
                        claim"); never code that computes.
  claims/engine/        how every claim is judged, pure: records, registry, sources, evidence,
                        verdicts, numbers, sharding rules, the pre-registration record,
                        Hypothesis profiles. A change here changes every report: it needs a
                        framework test (tests/framework/) and a planted-fault check.
  claims/report/        how a judged run is written and read: JSON (the one artefact), the
                        presentation model, Markdown, HTML, terminal, the one writer, drift,
                        merge, depth/stability checks. Renderers read only JSON.
  claims/pytest/        the pytest integration on top: plugin, session, xdist scheduling, torch
                        threads, per-cell parametrization. Imports point down only
                        (tests/framework/test_import_structure.py).
  claims/cli/           the `claims` command line over the engine and the reports; import-source
                        (a prose text into a numbered document) and new (a claim scaffold).
  claims/instruments/   building blocks for checks of any argument: activations, layers, nets,
                        optimizers, a multi-step trainer, a finite-difference check, backprop,
                        Hypothesis strategies, SymPy, Arb (certified), statistics. No source
                        text or claim is named here.
  claims/experiments/   the experiments and models of this argument (twin circuits, random
                        policies, the tiny transformer, all-MiniLM-L6-v2); their design constants
                        come from the catalog as arguments.
  claims/data/          sources/<name>.txt, the source documents (one per text), and the sample
                        text the real models read (its own file, never a source document).
  tests/claims/<claim>/ the tests that measure one claim; tests/framework/ the engine's own tests;
  tests/instruments/    the instruments' unit tests.

ADDING A NEW ONE
  0. A new text: `claims import-source FILE --name NAME`, then `claims new ID --source NAME`.
  1. Write claims/catalog/<claim_id>.py defining CLAIM (copy an existing module's shape); cite
     sentences as SourceRef(document, id, verbatim quote); give each asserted proposition the
     sentences it formalizes ("S09", or "document:S09" when the claim quotes several documents),
     and keys for the numbers that decide.
  2. Add it to CATALOG in claims/catalog/__init__.py; list any sentence left unchecked in
     NOT_CHECKED with its document and reason. Commit the catalog on its own (pre-registration: roles,
     expectations, thresholds, margins, seed and step counts before the tests that measure them).
     Its propositions now show as UNTESTED.
  3. Write tests under tests/claims/<claim>/, one or more per proposition, each marked
     @pytest.mark.claim("<claim-id>/<name>", kind="symbolic"|"certified"|"construction"|
     "property"|"experiment"|"real-model"), recording what the keys name. Make each new test fail once on a
     planted bug.
  4. Run `make report`, read reports/claims.md, commit the tests and reports.
"""
