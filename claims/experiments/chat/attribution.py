"""Hooks on every LlamaMLP: the gate census, per-neuron activity, and the gradient's sign split.

A LlamaMLP computes y = W_down (f(g) ⊙ u) with g = W_gate x, u = W_up x (f = SiLU, or ReLU in the
control). Hooks on gate_proj and up_proj keep, per layer and real (non-padding) token t:
x_t, g_t, and on backward δ^g_t = dL/dg_t and δ^u_t = dL/du_t. The weight gradients are then
exactly (the activation-scaling identity for a linear map, per token):

    dL/dW_gate[j, :] = sum_t δ^g_{t,j} x_t        dL/dW_up[j, :] = sum_t δ^u_{t,j} x_t

Two decompositions by the sign of the gate preactivation g (both reported):
- per (neuron, token): the contribution δ_{t,j}^2 ||x_t||^2, the squared norm of one token's term.
  The share with g_{t,j} < 0 is what claims/experiments/minilm.py reports for all-MiniLM-L6-v2 (and
  claims/instruments/gradient_share.py for random networks). These contributions do not add up to the
  squared row norm (cross terms between tokens are left out); they measure how much error signal
  reaches each (neuron, token) pair.
- per row, exactly: ||dL/dW[j, :]||^2 summed over the neurons j whose g is negative on every
  real token of the batch ("inactive neurons"), as a share of the whole ||dL/dW||^2. Read from
  autograd's .grad, so it needs no extra product.

The census also bins every real g per layer (HISTOGRAM_EDGES) for the preactivation histogram.

Tokens are the real tokens of the batch (prompt and answer; padding is excluded; its δ is
exactly 0 anyway because nothing attends to right padding and the loss never reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.reinforce import (
    Batch,
    Gradient,
    answer_log_probs,
    mlp_only,
    reinforce_loss,
)
from claims.instruments.activations import ACTIVATIONS

UNIT_ROUNDOFF_FLOAT32 = 2.0**-24
# Bin edges of the per-layer gate preactivation histogram (width 0.1 on [-10, 10]); values below
# the first edge and from the last edge on are counted in two end bins.
HISTOGRAM_STEPS_PER_UNIT, HISTOGRAM_HALF_WIDTH = 10, 100
HISTOGRAM_EDGES = tuple(
    i / HISTOGRAM_STEPS_PER_UNIT for i in range(-HISTOGRAM_HALF_WIDTH, HISTOGRAM_HALF_WIDTH + 1)
)
# The MLP input projections whose rows belong to one neuron each.
PROJECTIONS = ("gate_proj", "up_proj")


class DecompositionError(RuntimeError):
    """The hooked sum_t δ_t x_t differs from autograd's .grad by more than rounding allows.

    Not an AssertionError on purpose: a broken measurement must be ERROR, never a finding.
    """


@dataclass
class LayerTally:
    """What one layer's hooks have folded so far (every pass of the probe pooled)."""

    # MLP width.
    neurons: int
    # Real tokens seen, and (neuron, token) pairs with g < 0; of those, |f'(g)| > epsilon and
    # -t < g.
    tokens: int = 0
    negative: int = 0
    negative_slope_above_epsilon: int = 0
    negative_above_minus_t: int = 0
    # Per neuron: real tokens with g > 0 (open gate) and with g < 0.
    open_counts: torch.Tensor = field(init=False)
    negative_counts: torch.Tensor = field(init=False)
    # (neuron, token) pairs per bin of g: [len(HISTOGRAM_EDGES) + 1], bin i holding
    # edges[i - 1] <= g < edges[i] (bin 0: g < edges[0]; the last: g >= edges[-1]).
    histogram: torch.Tensor = field(init=False)
    # Per-(neuron, token) contributions sum δ^2 ||x||^2 (float64): all pairs, and pairs with g < 0.
    gate_total: float = 0.0
    gate_negative: float = 0.0
    up_total: float = 0.0
    up_negative: float = 0.0
    # Check mode: sum_t δ_t x_t and sum_t |δ_t| |x_t| in float64, per weight kind.
    expected: dict[str, torch.Tensor] = field(default_factory=dict)
    magnitude: dict[str, torch.Tensor] = field(default_factory=dict)
    # Check mode: positions (padding included) summed over by autograd's products.
    positions: int = 0

    def __post_init__(self) -> None:
        self.open_counts = torch.zeros(self.neurons, dtype=torch.long)
        self.negative_counts = torch.zeros(self.neurons, dtype=torch.long)
        self.histogram = torch.zeros(len(HISTOGRAM_EDGES) + 1, dtype=torch.long)


class MLPProbe:
    """Context manager: hooks on every MLP's gate_proj and up_proj; set ``mask`` per forward.

    mask: bool [B, L], True on real tokens. epsilon: census threshold for |f'(g)|. t: also count
    -t < g < 0 when given. gradients: fold the backward error signals. check: keep the float64
    reference sums for the comparison with autograd (costs a product per weight; small batches).
    """

    def __init__(
        self,
        chat: ChatModel,
        *,
        epsilon: float,
        t: float | None = None,
        gradients: bool = True,
        check: bool = False,
    ) -> None:
        self.chat, self.epsilon, self.t = chat, epsilon, t
        self.gradients, self.check = gradients, check
        self.mask: torch.Tensor | None = None
        self.tallies = [LayerTally(mlp.gate_proj.out_features) for mlp in chat.mlps]
        self._handles: list = []
        # The latest gate_proj call's tensors per layer, for the up_proj hook that follows it.
        self._state: list[dict[str, torch.Tensor]] = [{} for _ in chat.mlps]

    def set_mask(self, mask: torch.Tensor) -> None:
        self.mask = mask

    def __enter__(self) -> MLPProbe:
        for i, mlp in enumerate(self.chat.mlps):
            self._handles.append(mlp.gate_proj.register_forward_hook(self._gate_hook(i)))
            self._handles.append(mlp.up_proj.register_forward_hook(self._up_hook(i)))
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def _gate_hook(self, layer: int):
        def hook(module: torch.nn.Module, args: tuple[torch.Tensor, ...], g: torch.Tensor) -> None:
            tally, mask = self.tallies[layer], self.mask
            if mask is None or mask.shape != g.shape[:-1]:
                raise RuntimeError("MLPProbe.mask must be set to this pass's [B, L] token mask")
            real = g.detach()[mask]  # [tokens, neurons]
            negative = real < 0
            tally.tokens += real.shape[0]
            tally.negative += int(negative.sum())
            tally.open_counts += (real > 0).sum(0).cpu()
            tally.negative_counts += negative.sum(0).cpu()
            bins = histogram_bins(real.flatten())
            tally.histogram += torch.bincount(bins, minlength=len(HISTOGRAM_EDGES) + 1).cpu()
            below_zero = real[negative]
            slope = _derivative(below_zero, self.chat.gate)
            tally.negative_slope_above_epsilon += int((slope.abs() > self.epsilon).sum())
            if self.t is not None:
                tally.negative_above_minus_t += int((below_zero > -self.t).sum())
            if self.gradients and g.requires_grad:
                # What this call's backward needs; up_proj runs next in the same MLP call.
                x = args[0].detach()
                call = {
                    "negative": (g.detach() < 0) & mask[..., None],
                    "x_square": x.double().square().sum(-1) * mask,
                    "x": x,
                }
                self._state[layer] = call
                g.register_hook(lambda delta: self._fold(layer, "gate", delta, call))

        return hook

    def _up_hook(self, layer: int):
        def hook(module: torch.nn.Module, args: tuple[torch.Tensor, ...], u: torch.Tensor) -> None:
            if self.gradients and u.requires_grad:
                call = self._state[layer]
                u.register_hook(lambda delta: self._fold(layer, "up", delta, call))

        return hook

    def _fold(self, layer: int, kind: str, delta: torch.Tensor, call: dict) -> None:
        tally = self.tallies[layer]
        square = delta.detach().double().square()  # [B, L, neurons]
        total = float((square.sum(-1) * call["x_square"]).sum())
        negative = float(((square * call["negative"]).sum(-1) * call["x_square"]).sum())
        setattr(tally, f"{kind}_total", getattr(tally, f"{kind}_total") + total)
        setattr(tally, f"{kind}_negative", getattr(tally, f"{kind}_negative") + negative)
        if self.check:
            # Summed over calls: autograd accumulates every call's δ^T x into one .grad.
            x, d = call["x"].double(), delta.detach().double()
            for store, term in (
                (tally.expected, torch.einsum("bln,bld->nd", d, x)),
                (tally.magnitude, torch.einsum("bln,bld->nd", d.abs(), x.abs())),
            ):
                store[kind] = store[kind] + term if kind in store else term
            if kind == "gate":
                tally.positions += x.shape[0] * x.shape[1]


def histogram_bins(g: torch.Tensor) -> torch.Tensor:
    """long, g's shape: the HISTOGRAM_EDGES bin of each value, as
    ``torch.bucketize(g, edges, right=True)`` gives it (bin i: edges[i - 1] <= g < edges[i]).

    The edges are uniform, so the bin is guessed by arithmetic and then corrected by comparing
    with the edges themselves (in g's dtype): rounding moves a guess by at most one bin, and the
    two comparisons move it back, so the result is bucketize's exactly, at about a third of its
    cost (a binary search over 201 edges for every (neuron, token) pair; ``make bench``).
    """
    edges = torch.tensor(HISTOGRAM_EDGES, dtype=g.dtype, device=g.device)
    infinity = edges.new_tensor([float("inf")])
    # padded[i] is bin i's lower edge, padded[i + 1] its upper edge.
    padded = torch.cat([-infinity, edges, infinity])
    guess = torch.floor(g * HISTOGRAM_STEPS_PER_UNIT).add_(HISTOGRAM_HALF_WIDTH + 1)
    guess = guess.clamp_(0, len(edges)).long()
    guess -= (g < padded[guess]).long()
    guess += (g >= padded[guess + 1]).long()
    return guess


def _derivative(z: torch.Tensor, gate: str) -> torch.Tensor:
    """f'(z) elementwise by torch autograd of the registry's gate (what training uses)."""
    with torch.enable_grad():
        point = z.detach().clone().requires_grad_(True)
        (slope,) = torch.autograd.grad(ACTIVATIONS[gate].torch_fn(point).sum(), point)
    return slope


@dataclass(frozen=True)
class Census:
    # Real tokens and neurons per layer.
    tokens: int
    neurons: int
    # Per layer: pairs with g < 0; of those, |f'(g)| > epsilon; of those, -t < g (0 without t).
    negative: tuple[int, ...]
    negative_slope_above_epsilon: tuple[int, ...]
    negative_above_minus_t: tuple[int, ...]

    def share_negative(self) -> float:
        """Of all (neuron, token) pairs, the share with g < 0 (all layers pooled)."""
        return sum(self.negative) / (self.tokens * self.neurons * len(self.negative))

    def layer_share_negative(self) -> tuple[float, ...]:
        return tuple(n / (self.tokens * self.neurons) for n in self.negative)

    def share_slope_above_epsilon(self) -> float:
        """Of the pairs with g < 0, the share with |f'(g)| > epsilon (pooled)."""
        return sum(self.negative_slope_above_epsilon) / sum(self.negative)

    def layer_share_slope_above_epsilon(self) -> tuple[float, ...]:
        pairs = zip(self.negative_slope_above_epsilon, self.negative, strict=True)
        return tuple(above / negative for above, negative in pairs)


@dataclass(frozen=True)
class GradientSplit:
    # Per layer, float64 [layers]: per-(neuron, token) contributions sum δ^2 ||x||^2, all pairs
    # and pairs with g < 0, for the gate and the up rows.
    gate_total: torch.Tensor
    gate_negative: torch.Tensor
    up_total: torch.Tensor
    up_negative: torch.Tensor
    # Per layer: exact squared row norms of dL/dW (gate and up together), all rows and the rows
    # of neurons with g < 0 on every real token.
    rows_total: torch.Tensor
    rows_inactive: torch.Tensor

    def share_through_negative(self) -> float:
        """Of sum δ^2 ||x||^2 over gate and up rows, all layers, the part with g < 0."""
        total = self.gate_total.sum() + self.up_total.sum()
        if total == 0:
            raise ValueError("no gradient reached the MLPs (every advantage is 0?)")
        return float((self.gate_negative.sum() + self.up_negative.sum()) / total)

    def layer_share_through_negative(self) -> tuple[float, ...]:
        total = self.gate_total + self.up_total
        return tuple(((self.gate_negative + self.up_negative) / total).tolist())

    def row_share_inactive(self) -> float:
        """Of ||dL/dW_gate||^2 + ||dL/dW_up||^2, the part on rows of always-negative neurons."""
        if self.rows_total.sum() == 0:
            raise ValueError("no gradient reached the MLPs (every advantage is 0?)")
        return float(self.rows_inactive.sum() / self.rows_total.sum())


@dataclass
class Attribution:
    census: Census
    # Per layer and neuron, over the batch's real tokens: open-gate (g > 0) and g < 0 counts.
    open_counts: torch.Tensor
    negative_counts: torch.Tensor
    split: GradientSplit | None
    # Largest |.grad - sum_t δ_t x_t| / (its rounding bound) over all entries (check mode).
    check_ratio: float | None
    # The REINFORCE gradient of the pass (MLP weights), reusable as step 1 of training.
    gradient: Gradient | None
    # Per layer, (neuron, token) pairs per bin of g (LayerTally.histogram): [layers, bins].
    histogram: torch.Tensor | None = None

    def inactive(self) -> torch.Tensor:
        """bool [layers, neurons]: g < 0 on every real token of the batch."""
        return self.negative_counts == self.census.tokens

    def activity(self) -> torch.Tensor:
        """float64 [layers, neurons]: fraction of real tokens with an open gate (g > 0)."""
        return self.open_counts.double() / self.census.tokens


def attribute(
    chat: ChatModel,
    batch: Batch,
    *,
    epsilon: float = 0.01,
    t: float | None = None,
    check: bool = False,
) -> Attribution:
    """Forward and backward the REINFORCE loss of ``batch`` with the probe; fold everything.

    check: compare the hooked sum_t δ_t x_t with autograd's .grad entry by entry; raises
    DecompositionError beyond the float32 bound (see ``_check``).
    """
    probe = MLPProbe(chat, epsilon=epsilon, t=t, check=check)
    with mlp_only(chat.model) as weights, probe:
        chat.model.zero_grad(set_to_none=True)
        log_probs = answer_log_probs(chat.model, batch, on_pass=probe.set_mask)
        loss = reinforce_loss(log_probs, batch.advantages)
        loss.backward()
        grads = {name: w.grad for name, w in weights.items()}
        chat.model.zero_grad(set_to_none=True)
    tallies = probe.tallies
    check_ratio = _check(tallies, grads) if check else None
    return Attribution(
        _census(tallies),
        torch.stack([tally.open_counts for tally in tallies]),
        torch.stack([tally.negative_counts for tally in tallies]),
        _split(tallies, grads),
        check_ratio,
        Gradient(float(loss.detach()), float(log_probs.detach().mean()), grads),
        torch.stack([tally.histogram for tally in tallies]),
    )


def _split(tallies: list[LayerTally], grads: dict[str, torch.Tensor]) -> GradientSplit:
    def per_layer(name: str) -> torch.Tensor:
        return torch.tensor([getattr(tally, name) for tally in tallies], dtype=torch.float64)

    rows_total, rows_inactive = [], []
    for i, tally in enumerate(tallies):
        squares = sum(grads[f"{i}.{kind}"].double().square().sum(1).cpu() for kind in PROJECTIONS)
        rows_total.append(float(squares.sum()))
        rows_inactive.append(float(squares[tally.negative_counts == tally.tokens].sum()))
    return GradientSplit(
        per_layer("gate_total"),
        per_layer("gate_negative"),
        per_layer("up_total"),
        per_layer("up_negative"),
        torch.tensor(rows_total, dtype=torch.float64),
        torch.tensor(rows_inactive, dtype=torch.float64),
    )


def _census(tallies: list[LayerTally]) -> Census:
    return Census(
        tallies[0].tokens,
        tallies[0].neurons,
        tuple(t.negative for t in tallies),
        tuple(t.negative_slope_above_epsilon for t in tallies),
        tuple(t.negative_above_minus_t for t in tallies),
    )


def check_against_autograd(tallies: list[LayerTally], grads: dict[str, torch.Tensor]) -> float:
    """The worst ratio of |autograd - hooked sum_t δ_t x_t| to its float32 rounding bound over
    every gate/up weight entry (``_check``); tallies from an MLPProbe(check=True), grads keyed
    "<layer>.<gate_proj|up_proj>". Raises DecompositionError above 1."""
    return _check(tallies, grads)


def _check(tallies: list[LayerTally], grads: dict[str, torch.Tensor]) -> float:
    """Every entry: |autograd - sum_t δ_t x_t (float64)| <= γ_N sum_t |δ_t| |x_t|.

    autograd forms dL/dW = δ^T x as float32 inner products over the positions of each pass and
    adds the passes' results (the prompt pass and the answer pass); with N = all positions + 1,
    any summation order (blocked, FMA) satisfies |fl(s) - s| <= γ_N sum |terms|, γ_N = N u /
    (1 - N u), u = 2^-24 (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq.
    3.5 and the remark after Lemma 3.3). The float64 reference adds under 1e-9 of that. Returns
    the worst ratio |difference| / bound (<= 1 passes).
    """
    worst = 0.0
    for i, tally in enumerate(tallies):
        n = tally.positions + 1
        gamma = n * UNIT_ROUNDOFF_FLOAT32 / (1 - n * UNIT_ROUNDOFF_FLOAT32)
        for kind in ("gate", "up"):
            actual = grads[f"{i}.{kind}_proj"].double().cpu()
            bound = gamma * tally.magnitude[kind].cpu() + torch.finfo(torch.float32).tiny
            ratio = float(((actual - tally.expected[kind].cpu()).abs() / bound).max())
            if not ratio <= 1.0:
                raise DecompositionError(
                    f"layer {i} {kind}_proj: sum_t δ_t x_t differs from .grad by {ratio:.3g}× "
                    "the float32 rounding bound"
                )
            worst = max(worst, ratio)
    return worst


@torch.no_grad()
def activity(
    chat: ChatModel, input_ids: torch.Tensor, attention_mask: torch.Tensor, counted: torch.Tensor
) -> Attribution:
    """Forward only: census and per-neuron counts over the tokens where ``counted`` is True.

    input_ids, attention_mask [B, L] as for the model; counted [B, L] bool, a subset of the real
    tokens (e.g. a prompt without the chat template's shared system message).
    """
    if bool((counted & (attention_mask == 0)).any()):
        raise ValueError("counted tokens must be real (attention_mask 1) tokens")
    with MLPProbe(chat, epsilon=0.01, gradients=False) as probe:
        probe.mask = counted
        chat.model.model(input_ids=input_ids, attention_mask=attention_mask)
    tallies = probe.tallies
    return Attribution(
        _census(tallies),
        torch.stack([tally.open_counts for tally in tallies]),
        torch.stack([tally.negative_counts for tally in tallies]),
        None,
        None,
        None,
        torch.stack([tally.histogram for tally in tallies]),
    )
