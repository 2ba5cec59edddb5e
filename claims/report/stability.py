"""Does a deeper or differently seeded search change a finding? (docs/depth-and-stability.md, "How deep the search is")

Runs the claim tests that Hypothesis drives (``-m hypothesis``: the only findings a Hypothesis
profile or seed can move; every other claim test is deterministic given the catalog's seeds) once
per requested run, each under its own profile and ``--hypothesis-seed``, each writing its own
partial report under ``build/stability/<name>/``, and tallies per proposition how many runs gave
each finding. A proposition whose finding differs between runs, or from the reference report's,
is listed as unstable; nothing is averaged away.

    claims stability depth --run deep --run thorough:1 ... --out reports/depth.json
    claims stability stability --run dev:1 ... --run dev:10 --out reports/stability.json

The JSON it writes (schema below) is read by the Markdown and HTML renderers when it lies beside
claims.json: the report then says at which commit the check ran and what it found.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.engine import freshness, profiles
from claims.report import document as report_document
from claims.report import provenance

# The checkout the checks' dependencies are judged in (claims/ sits at its top).
ROOT = Path(__file__).resolve().parents[2]

SCHEMA_VERSION = 1
# Names of the check files a report folder may hold beside claims.json, in report order.
CHECK_FILES = ("depth.json", "stability.json")
# pytest's exit status 1 means some finding differs from its expectation: a result here.
PYTEST_RESULT = (0, 1)


@dataclass(frozen=True)
class RunSpec:
    profile: str
    seed: int | None

    @property
    def label(self) -> str:
        return self.profile if self.seed is None else f"{self.profile}, seed {self.seed}"

    @property
    def folder(self) -> str:
        return self.profile if self.seed is None else f"{self.profile}-seed-{self.seed}"


def parse_run(text: str) -> RunSpec:
    """'deep' or 'thorough:3' -> RunSpec; a profile must exist, a derandomized one takes no seed."""
    name, _, seed = text.partition(":")
    if name not in profiles.PROFILES:
        raise argparse.ArgumentTypeError(
            f"{name!r} is not a profile; choose one of {', '.join(profiles.PROFILES)}"
        )
    derandomized = profiles.PROFILES[name].derandomize
    if seed and derandomized:
        raise argparse.ArgumentTypeError(f"profile {name!r} is derandomized: it takes no seed")
    if not seed and not derandomized:
        raise argparse.ArgumentTypeError(f"profile {name!r} is random: give a seed, {name}:N")
    if seed and not seed.isdigit():
        raise argparse.ArgumentTypeError(f"seed {seed!r} is not a non-negative integer")
    return RunSpec(name, int(seed) if seed else None)


def run_once(spec: RunSpec, folder: Path, workers: int) -> dict[str, Any]:
    """One pytest run of the Hypothesis-driven claim tests; its findings by proposition."""
    command = [sys.executable, "-m", "pytest", "tests/claims", "-m", "hypothesis", "-q"]
    command += ["-p", "no:randomly", "--claims-report-dir", str(folder)]
    command += ["-n", str(workers)] if workers > 1 else ["-p", "no:xdist"]
    command += ["--hypothesis-seed", str(spec.seed)] if spec.seed is not None else []
    environment = {**os.environ, profiles.ENVIRONMENT_VARIABLE: spec.profile}
    # A selection of every claim test is a full run (folder/claims.json), anything less a partial
    # one (folder/partial/claims.json): clear both of an earlier run's, then read the one written.
    written = [folder / report_document.JSON_NAME, folder / "partial" / report_document.JSON_NAME]
    for path in written:
        path.unlink(missing_ok=True)
    started = time.monotonic()
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode not in PYTEST_RESULT:
        tail = (completed.stdout + completed.stderr).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"{spec.label}: pytest exited {completed.returncode}: {tail[0]}")
    reports = [path for path in written if path.exists()]
    if not reports:
        raise RuntimeError(f"{spec.label}: pytest wrote no claims report under {folder}")
    found = report_document.load(reports[0])
    findings = {
        p["id"]: p["finding"]
        for claim in found["claims"]
        for p in claim["propositions"]
        if p["finding"] not in ("NOT_RUN", "UNTESTED")
    }
    examples = max(
        (
            e["examples"]
            for claim in found["claims"]
            for p in claim["propositions"]
            for e in p["evidence"]
            if e["examples"] is not None
        ),
        default=None,
    )
    return {
        "profile": spec.profile,
        "seed": spec.seed,
        "label": spec.label,
        "max_examples": profiles.PROFILES[spec.profile].max_examples,
        "most_examples_in_a_test": examples,
        "duration_s": round(time.monotonic() - started, 1),
        "findings": dict(sorted(findings.items())),
    }


def tally(runs: list[dict[str, Any]], reference: dict[str, str]) -> dict[str, Any]:
    """Per proposition: how many runs gave each finding, the reference finding, stable or not."""
    propositions: dict[str, Any] = {}
    for proposition in sorted({p for run in runs for p in run["findings"]}):
        counts = Counter(run["findings"].get(proposition, "NOT_RUN") for run in runs)
        expected = reference.get(proposition)
        stable = len(counts) == 1 and (expected is None or set(counts) == {expected})
        propositions[proposition] = {
            "counts": dict(sorted(counts.items())),
            "reference": expected,
            "stable": stable,
        }
    return propositions


def reference_findings(path: Path) -> tuple[dict[str, str], str | None]:
    document = report_document.load(path)
    findings = {p["id"]: p["finding"] for c in document["claims"] for p in c["propositions"]}
    return findings, document["run"].get("git_commit")


def _check_name(text: str) -> str:
    """A kebab-case name: it names a folder under build/stability/ that a run clears."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a kebab-case name (e.g. depth)")
    return text


def build_parser(
    prog: str = "python -m claims.report.stability", add_help: bool = True
) -> argparse.ArgumentParser:
    """The command's options, also those of ``claims stability`` (claims.cli.main)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__, add_help=add_help)
    parser.add_argument(
        "name",
        type=_check_name,
        help="what the check is called, kebab-case: depth, stability, ... (its runs go to "
        "build/stability/NAME/)",
    )
    parser.add_argument(
        "--run",
        dest="runs",
        type=parse_run,
        action="append",
        required=True,
        metavar="PROFILE[:SEED]",
        help="one run; repeat for each",
    )
    parser.add_argument("--out", type=Path, required=True, help="the JSON to write")
    parser.add_argument("--reference", type=Path, default=Path("reports/claims.json"))
    parser.add_argument("--workers", type=int, default=1, help="xdist workers per run")
    return parser


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run each requested run, tally the findings and write ``args.out``."""
    try:
        reference, reference_commit = reference_findings(args.reference)
        runs = [
            run_once(spec, Path("build/stability") / args.name / spec.folder, args.workers)
            for spec in args.runs
        ]
    except (report_document.ReportError, RuntimeError, OSError) as error:
        print(f"claims stability: error: {error}", file=sys.stderr)
        return 2
    propositions = tally(runs, reference)
    document = {
        "schema_version": SCHEMA_VERSION,
        "name": args.name,
        "git_commit": provenance.git_commit(Path.cwd()),
        "reference": str(args.reference),
        "reference_commit": reference_commit,
        # The files these runs depended on, so a reader can tell whether they still apply.
        "depends": freshness.record(ROOT),
        "runs": runs,
        "propositions": propositions,
        "unstable": [p for p, entry in propositions.items() if not entry["stable"]],
    }
    report_document.write_atomic(args.out, report_document.dumps(document))
    unstable = document["unstable"]
    print(
        f"{args.out}: {len(runs)} runs, {len(propositions)} propositions, "
        f"{len(unstable)} unstable" + (": " + ", ".join(unstable) if unstable else "")
    )
    return 0


def load_checks(folder: Path) -> list[dict[str, Any]]:
    """The check documents beside a report (CHECK_FILES order); a broken one is a ReportError."""
    checks = []
    for name in CHECK_FILES:
        path = Path(folder) / name
        if not path.exists():
            continue
        document = report_document.read_json(path)
        if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
            raise report_document.ReportError(f"{path}: not a check of schema {SCHEMA_VERSION}")
        found = freshness.compare(ROOT, document.get("depends"))
        document["freshness"] = {"fresh": found.fresh, "reason": found.reason}
        checks.append(document)
    return checks


if __name__ == "__main__":
    raise SystemExit(main())
