"""The chat model's weight cache is verified before it is loaded (claims.experiments.chat.model).

On the tiny random Llama (tests/common/tiny_llama.py), written as the cache writes the
dequantized SmolLM2: source.json carries the GGUF's identity, the dequantizing versions and the
sha256 of every file written; an edited weight, 64 weights set to +inf, a truncated, missing or
added file each make the cache a miss (rebuilt, never loaded), and non-finite weights are
refused with one line naming the file, when writing and when loading.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from claims.experiments.chat import model as chat_model
from tests.common.tiny_llama import tiny_llama

SOURCE = chat_model.GGUFSource(Path("SmolLM2.gguf"), "A" * 43, 1234, "0.1.2")
GATE = "model.layers.0.mlp.gate_proj.weight"


class Tokenizer:
    """Stands in for the GGUF's tokenizer: the cache only asks it to save itself."""

    def save_pretrained(self, folder: str) -> None:
        Path(folder, "tokenizer.json").write_text('{"model": "tiny"}\n')


@pytest.fixture
def cache(tmp_path) -> Path:
    folder = tmp_path / "models" / "tiny"
    chat_model.write_cache(tiny_llama(), Tokenizer(), SOURCE, folder)
    return folder


def rewrite_weights(folder: Path, change) -> None:
    weights = load_file(str(folder / chat_model.WEIGHTS_FILE))
    change(weights)
    save_file(weights, str(folder / chat_model.WEIGHTS_FILE))


def set_inf(weights: dict) -> None:
    weights[GATE].view(-1)[:64] = float("inf")


def edit_one(weights: dict) -> None:
    weights[GATE][1, 1] += 0.5


def test_the_cache_records_its_inputs_and_every_files_digest(cache):
    record = json.loads((cache / chat_model.SOURCE_FILE).read_text())
    assert record["gguf_sha256"] == SOURCE.sha256
    assert set(record["files"]) == {chat_model.WEIGHTS_FILE, "config.json", "tokenizer.json"}
    assert chat_model._cache_matches(cache, SOURCE)
    other = chat_model.GGUFSource(SOURCE.path, "B" * 43, SOURCE.size, SOURCE.version)
    assert not chat_model._cache_matches(cache, other)


TAMPERING = {
    "an edited weight": lambda f: rewrite_weights(f, edit_one),
    "64 weights set to +inf": lambda f: rewrite_weights(f, set_inf),
    "a truncated weights file": lambda f: (f / chat_model.WEIGHTS_FILE).write_bytes(
        (f / chat_model.WEIGHTS_FILE).read_bytes()[:1000]
    ),
    "a missing tokenizer": lambda f: (f / "tokenizer.json").unlink(),
    "an added file": lambda f: (f / "model.safetensors.index.json").write_text("{}"),
    "an edited config": lambda f: (f / "config.json").write_text("{}"),
    "a record that is not JSON": lambda f: (f / chat_model.SOURCE_FILE).write_text("NaN"),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_cache_that_is_not_what_was_written_is_a_miss(cache, tamper):
    tamper(cache)
    assert not chat_model._cache_matches(cache, SOURCE)


def test_a_miss_is_rebuilt_before_anything_is_loaded(cache, monkeypatch):
    rewrite_weights(cache, set_inf)
    built = []

    class Stop(Exception):
        pass

    def build(source, folder):
        built.append(folder)
        raise Stop  # what load() would load next is the rebuilt cache, never this one

    monkeypatch.setenv("CLAIMS_BUILD_DIR", str(cache.parent.parent))
    monkeypatch.setattr(chat_model, "CACHE_FOLDER", Path("models", "tiny"))
    monkeypatch.setattr(chat_model, "gguf_source", lambda: SOURCE)
    monkeypatch.setattr(chat_model, "_build_cache", build)
    with pytest.raises(Stop):
        chat_model.load()
    assert built == [cache]


def test_non_finite_weights_are_refused_when_writing_naming_the_source(tmp_path):
    model = tiny_llama()
    with torch.no_grad():
        model.model.layers[1].mlp.up_proj.weight[0, 0] = float("nan")
    with pytest.raises(RuntimeError) as refused:
        chat_model.write_cache(model, Tokenizer(), SOURCE, tmp_path / "models" / "tiny")
    [line] = str(refused.value).splitlines()
    assert str(SOURCE.path) in line and "model.layers.1.mlp.up_proj.weight" in line
    assert not (tmp_path / "models" / "tiny").exists()


def test_non_finite_weights_in_a_cache_whose_record_matches_them_are_refused(cache, monkeypatch):
    from transformers import AutoTokenizer

    rewrite_weights(cache, set_inf)
    record = json.loads((cache / chat_model.SOURCE_FILE).read_text())
    weights = cache / chat_model.WEIGHTS_FILE
    record["files"][chat_model.WEIGHTS_FILE] = chat_model._file_sha256(weights)
    (cache / chat_model.SOURCE_FILE).write_text(json.dumps(record))
    assert chat_model._cache_matches(cache, SOURCE)  # a record rewritten to match
    monkeypatch.setenv("CLAIMS_BUILD_DIR", str(cache.parent.parent))
    monkeypatch.setattr(chat_model, "CACHE_FOLDER", Path("models", "tiny"))
    monkeypatch.setattr(chat_model, "gguf_source", lambda: SOURCE)
    monkeypatch.setattr(AutoTokenizer, "from_pretrained", lambda *args, **kwargs: Tokenizer())
    with pytest.raises(RuntimeError) as refused:
        chat_model.load()
    [line] = str(refused.value).splitlines()
    assert str(weights) in line and f"{GATE} holds 64 non-finite weights" in line
