"""Evidence files of the chat experiments: plain JSON, written atomically, with provenance.

``plain`` turns measurements into strict JSON (non-finite floats become null: JSON has no NaN,
and a missing value must not read as a number); ``write_json`` writes a file through a temporary
file in the same folder and os.replace, so a reader never sees half a file; ``provenance``
records what the numbers depend on: the git commit (and whether the tree was clean), the sha256
of every code and data file named, the torch/transformers versions, the device, the time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses and mappings to dicts, tuples to lists, tensors
    to lists, non-finite floats to None. Raises TypeError for anything else."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, torch.Tensor):
        return plain(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not plain data: {type(value).__name__}")


def write_json(path: Path, data: Any) -> None:
    """``plain(data)`` to ``path`` atomically (a temporary file in the same folder, os.replace)."""
    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(plain(data), stream, allow_nan=False, indent=1)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """``text`` to ``path`` atomically (figures)."""
    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def git_state(root: Path) -> dict[str, Any]:
    """{"commit": hash or None, "clean": bool or None} of the repository at ``root`` (None where
    git or the repository is absent, e.g. a copied tree without .git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "clean": None}
    return {"commit": commit, "clean": status.strip() == ""}


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"


def provenance(root: Path, files: Iterable[Path], device: torch.device) -> dict[str, Any]:
    """What a deep run's numbers depend on (module docstring); files relative to ``root``."""
    versions = {}
    for package in ("torch", "transformers", "gguf", "numpy"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "git": git_state(root),
        "files": {str(Path(f).relative_to(root)): file_sha256(f) for f in sorted(files)},
        "versions": versions,
        "python": platform.python_version(),
        "device": device.type,
        "device_name": device_name(device),
        "torch_threads": torch.get_num_threads(),
        "tf32": {
            "matmul": torch.backends.cuda.matmul.allow_tf32,
            "cudnn": torch.backends.cudnn.allow_tf32,
        },
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
