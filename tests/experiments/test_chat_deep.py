"""The deep runner's checks before it starts, the GGUF-path loader, and the run figures."""

import importlib.util
import json

import pytest
import torch
from safetensors.torch import load_file

from claims.experiments.chat import deep, gguf_file, grpo, grpo_run, run_figures
from claims.experiments.chat import model as chat_model
from claims.experiments.chat.evidence import plain
from claims.experiments.chat.model import from_model
from tests.common.chat_inputs import PARITY_PROMPTS
from tests.common.tiny_llama import tiny_llama


@pytest.fixture
def fake_gguf(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"not really")
    return path


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--gguf", "/nonexistent/model.gguf"], "no GGUF file at /nonexistent/model.gguf"),
        (["--parts", "adamw,lion"], "unknown part(s) ['lion']"),
    ],
)
def test_a_missing_input_stops_the_runner_with_one_line(tmp_path, capsys, arguments, message):
    assert deep.main(["--out", str(tmp_path / "out"), "--device", "cpu", *arguments]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"deep: {message}") and "\n" not in error
    assert not (tmp_path / "out").exists()  # nothing written


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_asking_for_cuda_without_it_stops_with_one_line(tmp_path, capsys, fake_gguf):
    arguments = ["--out", str(tmp_path), "--device", "cuda", "--gguf", str(fake_gguf)]
    assert deep.main(arguments) == 2
    assert capsys.readouterr().err.strip() == "deep: --device cuda: torch sees no CUDA device"


def test_a_missing_gguf_package_stops_with_one_line(tmp_path, capsys, fake_gguf, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "gguf" else real(name, *a)
    )
    arguments = ["--out", str(tmp_path), "--device", "cpu", "--gguf", str(fake_gguf)]
    assert deep.main(arguments) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("deep: gguf is not installed: pip install gguf==") and "\n" not in error


def test_the_converted_gguf_holds_the_caches_weights_and_loads_on_a_device(
    tmp_path, smollm2_two_layers
):
    source = chat_model.gguf_source()
    record = gguf_file.convert(source.path, tmp_path / "model")
    assert record["gguf_sha256"]["record"] == source.sha256  # the wheel RECORD's digest
    ours = load_file(tmp_path / "model" / "model.safetensors")
    cached = load_file(f"{smollm2_two_layers.provenance['folder']}/{chat_model.WEIGHTS_FILE}")
    assert ours.keys() == cached.keys()
    assert all(torch.equal(ours[key], cached[key]) for key in ours)
    chat = gguf_file.load_folder(tmp_path / "model", device=torch.device("cpu"), gate="relu")
    assert chat.gate == "relu" and chat.device.type == "cpu"
    assert chat.provenance["gguf_sha256"] == record["gguf_sha256"]


def test_every_run_figure_renders_deterministic_svg_from_plain_data(tokenizer):
    chat = from_model(tiny_llama(), tokenizer)
    settings = grpo.Settings(prompts_per_step=2, samples=4, max_new_tokens=3, lr=1e-2)
    run = grpo_run.run_grpo(grpo_run.clone(chat), PARITY_PROMPTS, settings, seed=0, steps=2)
    planted = {"trigger": [1.0, 2.0], "control_trigger": [0.0, 1.0], "none": [0.0, 0.0]}
    trigger = {stage: planted for stage in ("before_planting", "after_planting", "after_rl")}
    parts = json.loads(json.dumps(plain({"adamw": run.to_json(), "trigger": trigger})))
    for name, draw in run_figures.FIGURES.items():
        text = run_figures.svg(draw(parts))
        assert text.lstrip().startswith("<?xml") and "<svg" in text, name
        assert text == run_figures.svg(draw(parts)), name


def test_the_packing_self_check_passes_here_and_catches_an_ignored_cache(
    smollm2_two_layers, monkeypatch
):
    from claims.experiments.chat import deep_parts, packing

    deep_parts.packing_self_check(smollm2_two_layers)
    # A keyword the model does not know vanishes into **kwargs: answers lose their prompt.
    monkeypatch.setattr(packing, "cache_keyword", lambda model_class: "kv_cache")
    with pytest.raises(RuntimeError, match="packed log-probabilities differ"):
        deep_parts.packing_self_check(smollm2_two_layers)
