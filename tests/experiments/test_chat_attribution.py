"""The MLP probe against brute force: census counts, per-token contributions, exact row split."""

import pytest
import torch

from claims.experiments.chat import attribution, reinforce
from claims.experiments.chat.attribution import DecompositionError, attribute
from claims.experiments.chat.model import from_model, using_gate
from claims.experiments.chat.reinforce import make_batch
from tests.common.chat_inputs import rollouts
from tests.common.tiny_llama import tiny_llama


def brute_force(chat, batch, *, epsilon: float, t: float):
    """Retain every gate and up output's gradient by plain hooks; fold by hand in float64."""
    captured: list[list[dict]] = [[] for _ in chat.mlps]
    current = {}

    def keep(layer: int, kind: str):
        def hook(module, args, output):
            if kind == "gate":
                captured[layer].append({"x": args[0], "mask": current["mask"]})
            output.retain_grad()
            captured[layer][-1][kind] = output

        return hook

    handles = [
        getattr(mlp, f"{kind}_proj").register_forward_hook(keep(i, kind))
        for i, mlp in enumerate(chat.mlps)
        for kind in ("gate", "up")
    ]
    with reinforce.mlp_only(chat.model) as weights:
        log_probs = reinforce.answer_log_probs(
            chat.model, batch, on_pass=lambda mask: current.__setitem__("mask", mask)
        )
        reinforce.reinforce_loss(log_probs, batch.advantages).backward()
        grads = {name: w.grad.clone() for name, w in weights.items()}
        chat.model.zero_grad(set_to_none=True)
    for handle in handles:
        handle.remove()
    layers = []
    for i, calls in enumerate(captured):
        g = torch.cat([c["gate"].detach()[c["mask"]] for c in calls])
        x_square = torch.cat([c["x"].detach()[c["mask"]].square().sum(-1) for c in calls])
        delta_g = torch.cat([c["gate"].grad[c["mask"]] for c in calls])
        delta_u = torch.cat([c["up"].grad[c["mask"]] for c in calls])
        sigmoid = torch.sigmoid(g)
        slope = sigmoid * (1 + g * (1 - sigmoid))  # SiLU'(g), closed form
        negative = g < 0
        inactive = negative.all(0)
        rows = grads[f"{i}.gate_proj"].square().sum(1) + grads[f"{i}.up_proj"].square().sum(1)
        layers.append(
            {
                "tokens": g.shape[0],
                "negative": int(negative.sum()),
                "slope": int((negative & (slope.abs() > epsilon)).sum()),
                "above_t": int((negative & (g > -t)).sum()),
                "open": (g > 0).sum(0),
                "gate": (delta_g.square() * x_square[:, None]),
                "up": (delta_u.square() * x_square[:, None]),
                "is_negative": negative,
                "rows_total": float(rows.sum()),
                "rows_inactive": float(rows[inactive].sum()),
            }
        )
    return layers


@pytest.fixture
def batch(tiny_chat):
    return make_batch(rollouts(), tiny_chat.device)


def test_the_census_counts_what_brute_force_counts(tiny_chat, batch):
    found = attribute(tiny_chat, batch, epsilon=0.05, t=1.5)
    expected = brute_force(tiny_chat, batch, epsilon=0.05, t=1.5)
    assert (
        found.census.tokens
        == expected[0]["tokens"]
        == int(batch.prompt_mask.sum() + batch.answer_mask.sum())
    )
    assert found.census.negative == tuple(layer["negative"] for layer in expected)
    assert found.census.negative_slope_above_epsilon == tuple(layer["slope"] for layer in expected)
    assert found.census.negative_above_minus_t == tuple(layer["above_t"] for layer in expected)
    assert found.inactive()[:, 0].all()  # the planted neuron
    for i, layer in enumerate(expected):
        assert torch.equal(found.open_counts[i], layer["open"])
        assert torch.equal(found.inactive()[i], layer["is_negative"].all(0))
    assert 0 < found.census.share_negative() < 1


def test_the_gate_histogram_bins_every_real_preactivation_once(tiny_chat, batch):
    found = attribute(tiny_chat, batch, epsilon=0.01)
    captured = []
    with attribution.MLPProbe(tiny_chat, epsilon=0.01, gradients=False) as probe:
        hooks = [
            mlp.gate_proj.register_forward_hook(
                lambda module, args, g, i=i: captured.append((i, g[probe.mask]))
            )
            for i, mlp in enumerate(tiny_chat.mlps)
        ]
        reinforce.answer_log_probs(tiny_chat.model, batch, on_pass=probe.set_mask)
        for hook in hooks:
            hook.remove()
    edges = torch.tensor(attribution.HISTOGRAM_EDGES, dtype=torch.float64)
    for i in range(len(tiny_chat.mlps)):
        g = torch.cat([values.flatten() for layer, values in captured if layer == i])
        expected = torch.tensor(
            [int((g < edges[0]).sum())]
            + [int(((g >= lo) & (g < hi)).sum()) for lo, hi in zip(edges, edges[1:], strict=False)]
            + [int((g >= edges[-1]).sum())]
        )
        assert torch.equal(found.histogram[i], expected)
        assert int(found.histogram[i].sum()) == found.census.tokens * found.census.neurons
        negative = found.histogram[i, : attribution.HISTOGRAM_EDGES.index(0.0) + 1].sum()
        assert int(negative) == found.census.negative[i]


def test_histogram_bins_are_bucketizes_at_every_edge_and_beyond():
    for dtype in (torch.float32, torch.float64):
        edges = torch.tensor(attribution.HISTOGRAM_EDGES, dtype=dtype)
        generator = torch.Generator().manual_seed(0)
        g = torch.cat(
            [
                torch.randn(100_000, generator=generator, dtype=dtype) * 4,
                edges,
                edges.nextafter(edges.new_tensor(-1e9)),
                edges.nextafter(edges.new_tensor(1e9)),
                edges.new_tensor([-1e9, 1e9, -0.0]),
            ]
        )
        assert torch.equal(attribution.histogram_bins(g), torch.bucketize(g, edges, right=True))


def test_the_gradient_split_equals_brute_force(tiny_chat, batch):
    found = attribute(tiny_chat, batch, epsilon=0.01).split
    for i, layer in enumerate(brute_force(tiny_chat, batch, epsilon=0.01, t=1.0)):
        for kind in ("gate", "up"):
            total, negative = layer[kind].sum(), layer[kind][layer["is_negative"]].sum()
            assert float(getattr(found, f"{kind}_total")[i]) == pytest.approx(
                float(total), rel=1e-12
            )
            assert float(getattr(found, f"{kind}_negative")[i]) == pytest.approx(
                float(negative), rel=1e-12
            )
        assert float(found.rows_total[i]) == pytest.approx(layer["rows_total"], rel=1e-12)
        assert layer["rows_inactive"] > 0  # the planted neuron's rows
        assert float(found.rows_inactive[i]) == pytest.approx(layer["rows_inactive"], rel=1e-12)
    assert 0 < found.share_through_negative() < 1


def test_the_attribution_pass_returns_the_same_gradient_as_a_plain_pass(tiny_chat, batch):
    found = attribute(tiny_chat, batch).gradient.weights
    plain = reinforce.gradient(tiny_chat, batch).weights
    assert all(torch.equal(found[name], plain[name]) for name in plain)


def test_hooked_sums_match_autograd_within_the_float32_bound():
    chat = from_model(tiny_llama(dtype=torch.float32), None)
    found = attribute(chat, make_batch(rollouts(), chat.device), check=True)
    assert found.check_ratio is not None and 0 < found.check_ratio <= 1


def test_a_gradient_off_by_one_part_in_a_thousand_fails_the_check():
    chat = from_model(tiny_llama(dtype=torch.float32), None)
    batch = make_batch(rollouts(), chat.device)
    probe = attribution.MLPProbe(chat, epsilon=0.01, check=True)
    with reinforce.mlp_only(chat.model) as weights, probe:
        log_probs = reinforce.answer_log_probs(chat.model, batch, on_pass=probe.set_mask)
        reinforce.reinforce_loss(log_probs, batch.advantages).backward()
    grads = {name: w.grad.clone() for name, w in weights.items()}
    assert attribution._check(probe.tallies, grads) <= 1
    grads["1.up_proj"][3] *= 1.001
    with pytest.raises(DecompositionError, match="layer 1 up_proj"):
        attribution._check(probe.tallies, grads)


def test_under_the_relu_control_no_gradient_flows_through_negative_gates(tiny_chat, batch):
    with using_gate(tiny_chat, "relu"):
        found = attribute(tiny_chat, batch)
    assert found.split.gate_negative.sum() == 0 and found.split.up_negative.sum() == 0
    assert found.split.rows_inactive.sum() == 0
    assert found.split.gate_total.sum() > 0
    inactive = found.inactive()
    assert inactive[:, 0].all()
    for i in range(len(tiny_chat.mlps)):
        for kind in ("gate_proj", "up_proj"):
            assert torch.all(found.gradient.weights[f"{i}.{kind}"][inactive[i]] == 0)
        assert torch.all(found.gradient.weights[f"{i}.down_proj"][:, inactive[i]] == 0)
    assert found.census.negative_slope_above_epsilon == (0,) * len(tiny_chat.mlps)
    silu = attribute(tiny_chat, batch).split
    assert silu.gate_negative.sum() > 0


def test_forward_only_activity_counts_only_the_chosen_tokens(tiny_chat, batch):
    counted = batch.prompt_mask.bool().clone()
    counted[:, :3] = False
    found = attribution.activity(tiny_chat, batch.prompt_ids, batch.prompt_mask, counted)
    assert found.census.tokens == int(counted.sum())
    assert found.split is None and found.gradient is None
    with pytest.raises(ValueError, match="must be real"):
        attribution.activity(
            tiny_chat, batch.prompt_ids, batch.prompt_mask, torch.ones_like(counted)
        )


def test_the_real_models_first_layers_pass_the_autograd_check(smollm2_two_layers):
    found = attribute(
        smollm2_two_layers, make_batch(rollouts(), smollm2_two_layers.device), check=True
    )
    assert found.check_ratio <= 1
    assert 0 < found.split.share_through_negative() < 1
    assert found.census.neurons == 1536 and len(found.census.negative) == 2


def test_zero_advantages_leave_the_shares_undefined(tiny_chat, batch):
    batch.advantages = torch.zeros_like(batch.advantages)
    with pytest.raises(ValueError, match="no gradient reached the MLPs"):
        attribute(tiny_chat, batch).split.share_through_negative()
