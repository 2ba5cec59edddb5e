"""Mutation meta-test: plant faults underneath the suite and check that the suite notices.

``make mutants`` (not part of ``make test``: it runs the claim tests once per mutant) plants each
mutant below as a tiny pytest plugin in a subprocess -- at the torch level (an activation's
backward, a layer's weight gradient, an optimizer's step), in the chat model SmolLM2 (its gates'
gradient, its training: minutes of the model per run, which is why these are here and not in
tests/framework/test_planted_bugs.py) and in the framework itself (verdict aggregation,
evidence capture, a renderer) -- runs the unmodified tests it must be caught by, and
compares the run with an unmutated run of the same tests: which tests turned red, which decisions
(findings, verdicts, sentence verdicts, test outcomes: ``claims.report.drift.decisions``) moved.

A mutant is killed only when every decision it declares moved to the declared value and every
test it declares turned red: a mutant that only crashes something (an ERROR where a FAILS was
declared, a red test elsewhere) survives. Each mutant's expectation is written from what the
fault breaks, before it is run. The table goes to ``reports/mutants.{json,md}``
(docs/integrity.md, "Proving the suite").

    python -m tests.framework.mutants [--workers N] [--out reports/mutants] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.report import drift
from tests.common import plants
from tests.common.suite_runs import run_suite

AS = "activation-scaling"
IR = "inactive-relu-zero-gradient"
GN = "gelu-near-equivalence"
PER_EXAMPLE = ("tests/claims/inactive_relu_zero_gradient/test_per_example.py",)
SCALING = ("tests/claims/activation_scaling",)
GELU_FAST = tuple(
    f"tests/claims/gelu_near_equivalence/{name}.py"
    for name in ("test_constants", "test_thresholds", "test_literal")
)
RENDERERS = ("tests/framework/test_html_report.py",)
COMMITTED = ("tests/framework/test_committed_report.py",)
STATISTICS = ("tests/instruments/test_statistics.py",)
IC = "inactive-circuit-not-reinforced"
DR = "differential-reinforcement"
CHAT_GELU = "tests/claims/gelu_near_equivalence/test_smollm2.py"
CHAT_IC = "tests/claims/inactive_circuit_not_reinforced/test_smollm2.py"
# The ci tier's tests (tests/common/chat_runs.py runs SmolLM2 and its ReLU control once per
# process): one set of paths, so one unmutated baseline serves every chat mutant.
CHAT_CI = (
    CHAT_GELU,
    f"{CHAT_IC}::test_the_relu_controls_never_active_neurons_stay_exactly_still",
)

# ReLU exact in the forward pass, but its backward lets 1 % of the gradient through below zero:
# a fault only autograd sees (the SymPy side stays exact).
RELU_BACKWARD_LEAKS = """
import torch
from torch.nn import functional
from claims.instruments.activations import ACTIVATIONS, Activation

class _LeakyBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z):
        ctx.save_for_backward(z)
        return functional.relu(z)

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * torch.where(z > 0, torch.ones_like(z), torch.full_like(z, 0.01))

def pytest_configure(config):
    relu = ACTIVATIONS["relu"]
    ACTIVATIONS["relu"] = Activation("relu", _LeakyBackward.apply, relu.sympy_fn)
"""

# Verdict aggregation without rule 1: an asserted proposition that FAILS no longer refutes.
VERDICT_IGNORES_FAILURES = """
from claims.engine import verdicts
from claims.engine.records import Finding, Role

_real = verdicts.claim_verdict

def _without_rule_one(findings):
    return _real([
        (p, Finding.HOLDS if f is Finding.FAILS and p.role is Role.ASSERTED else f)
        for p, f in findings
    ])

def pytest_configure(config):
    verdicts.claim_verdict = _without_rule_one
"""

# Evidence capture that takes an assertion failure for a pass.
EVIDENCE_SWALLOWS_ASSERTIONS = """
from claims.engine import evidence
from claims.engine.records import Finding

_real = evidence.classify

def _swallowing(exception):
    return Finding.HOLDS if isinstance(exception, AssertionError) else _real(exception)

def pytest_configure(config):
    evidence.classify = _swallowing
"""

# Student-t intervals at 80 % where 95 % is registered: every statistical decision is taken on a
# narrower interval. The default is changed on the function object, so every caller that
# imported mean_interval by name gets it.
INTERVAL_AT_80_PERCENT = """
from claims.instruments import statistics

def pytest_configure(config):
    statistics.mean_interval.__kwdefaults__["confidence"] = 0.80
"""

# The committed reports/claims.md edited by hand (one verdict changed), as a reader of the file
# sees it: the plant edits what is read, never the repository's file.
EDITED_COMMITTED_MARKDOWN = """
import pathlib

_READ = pathlib.Path.read_text

def _edited(self, *args, **kwargs):
    text = _READ(self, *args, **kwargs)
    if self.name == "claims.md" and self.parent.name == "reports":
        return text.replace("REFUTED", "SUPPORTED", 1)
    return text

def pytest_configure(config):
    pathlib.Path.read_text = _edited
"""

# The Markdown renderer calls every refuted claim supported.
MARKDOWN_HIDES_REFUTATIONS = """
from claims.report import markdown

_real = markdown.render

def _hiding(*args, **kwargs):
    return _real(*args, **kwargs).replace("REFUTED", "SUPPORTED")

def pytest_configure(config):
    markdown.render = _hiding
"""


@dataclass(frozen=True)
class Mutant:
    name: str
    # What the fault breaks, in a few words (shown in the table).
    breaks: str
    # The pytest plugin source that plants it.
    plant: str
    # The tests it is run under (and the unmutated baseline with them).
    paths: tuple[str, ...]
    # Decisions (drift.decisions keys) that must move, to these values.
    flips: dict[str, str] = field(default_factory=dict)
    # Test ids that must turn red.
    red: frozenset[str] = frozenset()


def _failing(*ids: str) -> dict[str, str]:
    return {f"{i} finding": "FAILS" for i in ids}


def _holding(*ids: str) -> dict[str, str]:
    return {f"{i} finding": "HOLDS" for i in ids}


MUTANTS = (
    Mutant(
        "relu-backward-leaks",
        "torch: an activation's backward (ReLU passes 1 % below zero)",
        RELU_BACKWARD_LEAKS,
        PER_EXAMPLE,
        _failing(f"{IR}/error-signal-zero", f"{IR}/incoming-weights-zero-gradient"),
    ),
    Mutant(
        "doubled-relu",
        "torch: an activation (ReLU's slope 2 above zero)",
        plants.plugin_source("ACTIVATIONS", "relu", "DOUBLED_RELU"),
        PER_EXAMPLE,
        _failing(f"{IR}/active-neuron-passes-error-signal"),
    ),
    Mutant(
        "squared-input-backward",
        "torch: a layer's weight gradient (uses a_j squared)",
        plants.plugin_source("LINEAR_MAPS", "linear", "SQUARED_INPUT_BACKWARD"),
        SCALING,
        _failing(f"{AS}/identity-in-torch", f"{AS}/column-ratio"),
    ),
    Mutant(
        "first-unit-only-backward",
        "torch: a layer's weight gradient (first output unit only)",
        plants.plugin_source("LINEAR_MAPS", "linear", "FIRST_UNIT_ONLY_BACKWARD"),
        SCALING,
        _failing(f"{AS}/every-outgoing-weight", f"{AS}/shared-downstream-unit"),
    ),
    Mutant(
        "adam-steps-as-sgd",
        "torch: an optimizer's step (Adam and AdamW step as SGD)",
        plants.ADAM_IS_SGD,
        SCALING,
        # SGD's update is the gradient times a step size: proportional to the activation.
        {f"{AS}/adam-update-proportional finding": "HOLDS"},
    ),
    Mutant(
        "gelu-is-silu",
        "torch and SymPy: an activation (GELU computes SiLU)",
        plants.plugin_source("ACTIVATIONS", "gelu", "silu"),
        GELU_FAST,
        _failing(f"{GN}/gelu-derivative-constants", f"{GN}/gelu-tail-thresholds"),
    ),
    # The chat model's ci tier (docs/chat-model.md, "The real chat model"): minutes of SmolLM2 per run, so
    # these are mutants here rather than rows of tests/framework/test_planted_bugs.py.
    Mutant(
        "leaky-relu-gates-in-smollm2",
        "chat model: an activation (the ReLU control's gates leak 1 % below zero)",
        plants.plugin_source("ACTIVATIONS", "relu", "leaky-relu-0.01"),
        CHAT_CI,
        _failing(
            f"{GN}/smollm2-grpo-closed-gate-share-relu",
            f"{IC}/smollm2-grpo-relu-control-never-active-still",
        ),
    ),
    Mutant(
        "closed-smollm2-gates-pass-nothing",
        "chat model: the gradient through SmolLM2's gates (SiLU is ReLU wherever one is taken)",
        plants.CLOSED_SMOLLM2_GATES_PASS_NOTHING,
        CHAT_CI,
        # The effect the SiLU closed-gate share denies, built in.
        _holding(f"{GN}/smollm2-grpo-closed-gate-share-silu"),
    ),
    Mutant(
        "grpo-with-weight-decay",
        "chat model: training (AdamW with weight decay 0.1, not TRL's 0)",
        plants.GRPO_WITH_WEIGHT_DECAY,
        CHAT_CI,
        _failing(f"{IC}/smollm2-grpo-relu-control-never-active-still"),
    ),
    Mutant(
        "verdict-ignores-failures",
        "framework: verdict aggregation (no rule 1)",
        VERDICT_IGNORES_FAILURES,
        # random-net-share-gelu is asserted and FAILS, so the baseline is REFUTED by rule 1 (the
        # fast files alone hold no asserted failure since the re-audit made their literal
        # readings beyond ones).
        (*GELU_FAST, "tests/claims/gelu_near_equivalence/test_random_networks.py"),
        # Rule 1 gone, rule 2 decides: the propositions of the tests not run are NOT_RUN.
        {f"{GN} verdict": "NOT_RUN"},
    ),
    Mutant(
        "evidence-swallows-assertions",
        "framework: evidence capture (an assertion counts as a pass)",
        EVIDENCE_SWALLOWS_ASSERTIONS,
        GELU_FAST,
        # pytest saw the expected failure, the finding says HOLDS: the plugin's cross-check
        # makes it an ERROR, and red (docs/integrity.md, "A report that cannot lie").
        {f"{GN}/literal-activation-clipped finding": "ERROR"},
    ),
    Mutant(
        "interval-at-80-percent",
        "statistics: a decision on a narrower interval (80 % where 95 % is registered)",
        INTERVAL_AT_80_PERCENT,
        STATISTICS,
        red=frozenset(
            {f"{STATISTICS[0]}::test_mean_interval_is_the_student_t_95_percent_interval"}
        ),
    ),
    Mutant(
        "edited-committed-markdown",
        "reports: the committed Markdown edited by hand (one verdict changed)",
        EDITED_COMMITTED_MARKDOWN,
        COMMITTED,
        red=frozenset(
            {
                f"{COMMITTED[0]}::"
                "test_the_committed_markdown_and_html_are_renderings_of_the_committed_json"
            }
        ),
    ),
    Mutant(
        "markdown-hides-refutations",
        "framework: a renderer (Markdown calls REFUTED SUPPORTED)",
        MARKDOWN_HIDES_REFUTATIONS,
        RENDERERS,
        red=frozenset(
            {
                f"{RENDERERS[0]}::"
                "test_markdown_and_html_list_the_same_claims_verdicts_and_findings",
            }
        ),
    ),
)


@dataclass
class Outcome:
    """One run: its decisions (from its report, if it wrote one) and its red tests."""

    decisions: dict[str, str]
    red: set[str]
    returncode: int


def run(folder: Path, paths: tuple[str, ...], plant: str | None, workers: int) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    junit = folder / "junit.xml"
    # loadgroup: the chat model's tests share one worker (conftest.py), which runs it once.
    distributed = ["-n", str(workers), "--dist", "loadgroup"] if workers > 1 else []
    args = ["--junitxml", str(junit), *distributed]
    result = run_suite(folder, *args, plant=plant, paths=paths)
    reports = [folder / "report" / "partial" / "claims.json", folder / "report" / "claims.json"]
    written = [path for path in reports if path.is_file()]
    decisions = drift.decisions(json.loads(written[0].read_text())) if written else {}
    return Outcome(decisions, red_tests(junit), result.returncode)


def red_tests(junit: Path) -> set[str]:
    """Test ids (path::name) with a failure or error in a JUnit XML file."""
    if not junit.is_file():
        return set()
    red = set()
    for case in ElementTree.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            red.add(f"{module}.py::{case.get('name')}")
    return red


def judge(mutant: Mutant, baseline: Outcome, mutated: Outcome) -> dict[str, Any]:
    """The table row: what moved, and whether it moved the way the mutant declares."""
    flipped = {
        where: {"from": baseline.decisions.get(where), "to": value}
        for where, value in sorted(mutated.decisions.items())
        if baseline.decisions.get(where) != value
    }
    turned_red = sorted(mutated.red - baseline.red)
    missed = [
        f"{where} -> {value}"
        for where, value in mutant.flips.items()
        if mutated.decisions.get(where) != value or baseline.decisions.get(where) == value
    ]
    missed += [f"{test} red" for test in sorted(mutant.red - set(turned_red))]
    return {
        "mutant": mutant.name,
        "breaks": mutant.breaks,
        "paths": list(mutant.paths),
        "expected": {**mutant.flips, **{test: "red" for test in sorted(mutant.red)}},
        "tests_turned_red": turned_red,
        "decisions_flipped": flipped,
        "missed": missed,
        "killed": not missed and (bool(mutant.flips) or bool(mutant.red)),
    }


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Mutants",
        "",
        'Faults planted underneath the suite (`make mutants`, docs/integrity.md, "Proving the suite"). A',
        "mutant is killed only when every decision it declares moved to the declared value and",
        "every test it declares turned red, compared with an unmutated run of the same tests.",
        "",
        "| mutant | what it breaks | tests turned red | decisions flipped | killed by |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        flipped = [w for w in row["decisions_flipped"] if not w.startswith("sentence ")]
        killer = (
            ", ".join(row["expected"]) if row["killed"] else "SURVIVED: " + "; ".join(row["missed"])
        )
        lines.append(
            f"| `{row['mutant']}` | {row['breaks']} | {len(row['tests_turned_red'])} | "
            f"{len(flipped)} | {killer} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.framework.mutants")
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="write OUT.json and OUT.md")
    args = parser.parse_args(argv)
    known = {m.name: m for m in MUTANTS}
    if unknown := [n for n in args.names if n not in known]:
        parser.error(f"unknown mutant(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    chosen = [known[n] for n in args.names] or list(MUTANTS)
    rows, baselines = [], {}
    with tempfile.TemporaryDirectory(prefix="claims-mutants-") as scratch:
        for index, mutant in enumerate(chosen):
            if mutant.paths not in baselines:
                folder = Path(scratch, f"baseline-{len(baselines)}")
                print(f"baseline: {' '.join(mutant.paths)}", flush=True)
                baselines[mutant.paths] = run(folder, mutant.paths, None, args.workers)
            print(f"mutant {index + 1}/{len(chosen)}: {mutant.name}", flush=True)
            mutated = run(Path(scratch, mutant.name), mutant.paths, mutant.plant, args.workers)
            rows.append(judge(mutant, baselines[mutant.paths], mutated))
    table = render(rows)
    print(table)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_suffix(".json").write_text(json.dumps({"mutants": rows}, indent=2) + "\n")
        args.out.with_suffix(".md").write_text(table)
    return 0 if all(row["killed"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
