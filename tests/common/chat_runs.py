"""The real chat model under GRPO, as chat_design registered it, for the claims that read it.

Two tiers (claims/catalog/chat_design.py):
- ci: the SiLU model with AdamW and the ReLU control (recovered by distillation, then AdamW),
  run here with the catalog's ci sizes (claims.experiments.chat.deep_parts, the code the deep
  tier runs), once per process (every chat test shares one xdist worker: pyproject.toml's
  claims_groups) and shared by the tests that read them.
- deep: the committed evidence reports/deep/deep-chat.json, written by `make deep` (a GPU where
  one is lent). It decides only while fresh: its design must be the catalog's and every code and
  data file it recorded must be unchanged; otherwise a test reading it is NOT_RUN (evidence.NotRun),
  naming what is missing or changed: it decides nothing, and the sentences it formalizes read
  NOT_RUN until the deep tier is re-run.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

from scipy import stats

from claims.catalog import chat_design
from claims.engine.evidence import Inconclusive, NotRun
from claims.experiments.chat import deep_parts
from claims.experiments.chat.evidence import file_sha256

ROOT = Path(__file__).resolve().parents[2]
DEEP = ROOT / "reports" / "deep" / "deep-chat.json"
CI_SIZES = deep_parts.SIZES["ci"]
DEEP_SIZES = deep_parts.SIZES["deep"]
# The design constants each tier must carry: catalog name -> Sizes field.
CI_DESIGN = {
    "CI_STEPS": "steps",
    "CI_PROMPTS_PER_STEP": "prompts_per_step",
    "CI_SAMPLES": "samples",
    "CI_MAX_NEW_TOKENS": "max_new_tokens",
    "CI_RECOVERY_STEPS": "recovery_steps",
}
DEEP_DESIGN = {
    "DEEP_STEPS": "steps",
    "DEEP_PROMPTS_PER_STEP": "prompts_per_step",
    "DEEP_SAMPLES": "samples",
    "DEEP_MAX_NEW_TOKENS": "max_new_tokens",
    "HELDOUT_PROMPTS": "heldout_prompts",
    "CONTROL_PROMPTS": "control_prompts",
    "RECOVERY_STEPS": "recovery_steps",
    "PLANTED_PROMPTS": "planted_prompts",
    "PLANTING_STEPS": "planting_steps",
}


def design_problems(sizes: dict[str, Any], names: dict[str, str]) -> list[str]:
    """One line per catalog constant the sizes do not carry."""
    return [
        f"{field} = {sizes.get(field)!r}, the catalog's {name} = {getattr(chat_design, name)!r}"
        for name, field in names.items()
        if sizes.get(field) != getattr(chat_design, name)
    ]


def learning_rate_problems(rates: dict[str, float]) -> list[str]:
    wanted = {"adamw": chat_design.LR_ADAMW, "sgd": chat_design.LR_SGD}
    return [
        f"lr {k} = {rates.get(k)}, the catalog's {v}"
        for k, v in wanted.items()
        if rates.get(k) != v
    ]


def _ci_problems() -> list[str]:
    return design_problems(dataclasses.asdict(CI_SIZES), CI_DESIGN) + learning_rate_problems(
        deep_parts.LEARNING_RATES
    )


@functools.cache
def ci_silu() -> dict[str, Any]:
    """The ci SiLU run with AdamW: deep_parts.silu_run's result at the ci sizes."""
    from claims.experiments.chat import model

    if problems := _ci_problems():
        raise ValueError("ci sizes are not the catalog's: " + "; ".join(problems))
    result, _ = deep_parts.silu_run(model.load(), CI_SIZES, chat_design.GRPO_SEED, "adamw")
    return result


@functools.cache
def ci_relu() -> dict[str, Any]:
    """The ci ReLU control: distilled, then GRPO with AdamW (deep_parts.relu_control)."""
    from claims.experiments.chat import model

    if problems := _ci_problems():
        raise ValueError("ci sizes are not the catalog's: " + "; ".join(problems))
    result, _ = deep_parts.relu_control(model.load(), CI_SIZES, chat_design.GRPO_SEED)
    return result


def staleness(document: dict[str, Any], root: Path = ROOT) -> list[str]:
    """Why committed deep evidence no longer decides: its design is not the catalog's, or a code
    or data file it recorded changed, went missing, or the runner now reads one it did not."""
    problems = design_problems(document["design"]["sizes"], DEEP_DESIGN)
    problems += learning_rate_problems(document["design"]["learning_rates"])
    if document["design"]["seed"] != chat_design.GRPO_SEED:
        problems.append(f"seed {document['design']['seed']}, the catalog's {chat_design.GRPO_SEED}")
    recorded = document["provenance"]["files"]
    from claims.experiments.chat.deep import DEPENDS_ON

    now = {str(Path(p).relative_to(root)): p for p in DEPENDS_ON}
    for name in sorted(set(recorded) | set(now)):
        path = root / name
        if name not in recorded:
            problems.append(f"{name} is read now but was not then")
        elif not path.is_file():
            problems.append(f"{name} is gone")
        elif file_sha256(path) != recorded[name]:
            problems.append(f"{name} changed")
    return problems


@functools.cache
def deep() -> dict[str, Any]:
    """The committed deep evidence, or NotRun (never a pass) when it is missing or stale."""
    if not DEEP.is_file():
        raise NotRun(
            f"no deep evidence at {DEEP.relative_to(ROOT)}: the deep tier has not run (a GPU "
            "where one is lent: `make deep`)"
        )
    document = json.loads(DEEP.read_text(encoding="utf-8"))
    if problems := staleness(document):
        raise NotRun(
            "deep evidence is stale and decides nothing ("
            + "; ".join(problems[:5])
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            + "): re-run `make deep`"
        )
    return document


def deep_run(name: str) -> dict[str, Any]:
    """One GRPO run of the deep evidence: "adamw", "sgd", "relu" or "trigger"."""
    part = deep()["parts"][name]
    return part["run"] if name in ("relu", "trigger") else part


def record_provenance(measurements) -> None:
    """What every deep proposition reports beside its decision: where and how long it ran."""
    document = deep()
    measurements.table(
        "deep-chat-provenance",
        ["what", "value"],
        [
            ["device", document["provenance"]["device_name"]],
            [
                "torch / transformers",
                f"{document['provenance']['versions']['torch']} / "
                f"{document['provenance']['versions']['transformers']}",
            ],
            ["seconds (all parts, in parallel)", document["durations"]["total_seconds"]],
            *[[f"seconds, part {p}", s] for p, s in document["durations"]["parts"].items()],
        ],
    )


def decide_above_zero(first: list[float], second: list[float], what: str, measurements, name: str):
    """Welch's test of mean(first) − mean(second), recorded as ``name``, ``name``_low and _high;
    AssertionError when the 95 % interval lies below 0, Inconclusive when it straddles 0."""
    test = stats.ttest_ind(first, second, equal_var=False)
    interval = test.confidence_interval(0.95)
    difference = sum(first) / len(first) - sum(second) / len(second)
    low, high = float(interval.low), float(interval.high)
    measurements.record(name, difference, "nats")
    measurements.record(f"{name}_low", low, "nats")
    measurements.record(f"{name}_high", high, "nats")
    said = f"{what}: {difference:+.4f}, 95 % interval {low:+.4f} to {high:+.4f}"
    if high < 0:
        raise AssertionError(f"{said}: below 0")
    if low <= 0:
        raise Inconclusive(f"{said}: the interval straddles 0")
