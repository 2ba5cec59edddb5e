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
      -> tests (tests/claims/<module>/) each test is marked @pytest.mark.claim("<id>", kind=...),
                                        in the folder named after its claim's catalog module
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
                        claim"), every record built with keyword arguments; what claims share in
                        quotes.py, vocabulary.py, chat_design.py, registrations.py; extra scope
                        keys in SCOPE_KEYS (a claim's own module, or __init__.py for all); never
                        code that computes.
  claims/engine/        how every claim is judged, pure (imports nothing else of claims): records,
                        registry, sources, evidence (its one JSON codec), verdicts (the rules and
                        one judge(), shared by a session and by merge), numbers, sharding rules,
                        untrusted input, the pre-registration record, freshness, Hypothesis
                        profiles. A change here changes every report: it needs a framework test
                        (tests/framework/) and a planted-fault check.
  claims/report/        how a judged run is written and read: JSON (document.py, the one
                        artefact, and sections.py), the presentation model (view.py), Markdown,
                        HTML, terminal, the one writer (publish.write_report), provenance, drift,
                        merge, depth/stability checks. Renderers read only JSON.
  claims/pytest/        the pytest integration on top: plugin, session, xdist scheduling of
                        claims_groups (an xdist_group mark is refused), torch threads, the torch
                        state a claim test must restore, figure staging, per-cell
                        parametrization.
  claims/cli/           the `claims` command line over the engine and the reports: check (the
                        catalog in seconds, UNTESTED listed), import-source (a prose text into a
                        numbered document), new (a claim scaffold), and the rest.
  claims/instruments/   building blocks for checks of any argument: activations, layers, nets,
                        optimizers, a multi-step trainer, a finite-difference check, backprop,
                        Hypothesis strategies, SymPy, Arb (certified), statistics. No source
                        text or claim is named here.
  claims/experiments/   the experiments and models of this argument (twin circuits, random
                        policies, the tiny transformer, all-MiniLM-L6-v2, the chat model in chat/); their design constants
                        come from the catalog as arguments.
  claims/data/          sources/<name>.txt, the source documents (one per text), and the sample
                        text the real models read (its own file, never a source document).
  tests/claims/<module>/
                        the tests that measure one claim, the folder named after its catalog
                        module; tests/framework/ the framework's own tests;
  tests/instruments/    the instruments' unit tests; tests/experiments/ the experiments';
  tests/common/         helpers the test folders share: no test module imports another test
                        module or a conftest (tests/framework/test_test_layout.py checks the
                        tree; test_catalog_as_data.py the catalog; test_docs.py the docs'
                        links and citations). Tests that take minutes are marked slow
                        (tests/README.md).
  Imports point down only: no cycle, no upward import, and no function-level import hiding one
  outside claims/cli and claims/experiments (tests/framework/test_import_structure.py).

ADDING A NEW ONE (docs/adding-a-claim.md; `claims new` prints the same sequence)
  0. A new text: `claims import-source FILE --name NAME`, then `claims new ID --source NAME`;
     otherwise `claims new ID`: it writes claims/catalog/<claim_id>.py defining CLAIM and adds it
     to CATALOG, nothing else.
  1. Edit the module: title, statement, propositions (role, expected, formalizes, reading,
     registration, key); cite sentences as SourceRef(document=..., sentence=..., quote=...)
     (verbatim); in NOT_CHECKED replace any TODO reason and drop a sentence you now formalize.
  2. `claims preregistration --write` records its decisions (claims/catalog/preregistered.json).
  3. `claims check` validates the catalog and the record and lists the new propositions as
     UNTESTED (exit status 3), in seconds, running no test.
  4. Commit the catalog alone (pre-registration: roles, expectations, thresholds, margins, seed
     and step counts before the tests that measure them); no claim test in that commit.
  5. A second catalog-only commit names it: "Pre-registered in commit <hash>" in the module's
     docstring and commit="<hash>" in each registration.
  6. Write tests in tests/claims/<claim_id>/ (with an empty __init__.py), one or more per
     proposition, each marked @pytest.mark.claim("<claim-id>/<name>", kind="symbolic"|
     "certified"|"construction"|"property"|"experiment"|"real-model"), recording what the keys
     name; make each fail once on a planted bug. `claims check` now exits 0.
  7. Run `make report`, read reports/claims.md, commit the tests and reports/ together.
"""
