"""Margins drawn from all-MiniLM-L6-v2's negative preactivations (claims.experiments.minilm)."""

import torch

from claims.experiments import factorial, minilm

SAMPLE = torch.tensor([-0.5, -2.0, -0.125, -3.0, -1.0])


def test_draw_margins_takes_absolute_values_of_the_sample_per_seed_from_its_own_stream():
    margins = minilm.draw_margins(SAMPLE, (0, 7), 3)
    assert margins.dtype == torch.float64 and margins.shape == (2, 3)
    for row, seed in zip(margins, (0, 7), strict=True):
        gen = torch.Generator().manual_seed(30_000 + seed)
        expected = SAMPLE[torch.randint(len(SAMPLE), (3,), generator=gen)].abs().double()
        assert torch.equal(row, expected)
    assert torch.equal(minilm.draw_margins(SAMPLE, (7,), 3), margins[1:])


def test_draw_margins_covers_the_sample_uniformly_with_replacement():
    margins = minilm.draw_margins(SAMPLE, range(200), 5).flatten()
    values, counts = margins.unique(return_counts=True)
    assert values.tolist() == sorted(SAMPLE.abs().double().tolist())
    assert counts.min() > 150  # 1000 draws over 5 values: 200 ± 13 each


def test_negative_preactivations_are_negative_float32_and_cached():
    sample = minilm.negative_preactivations()
    assert sample.dtype == torch.float32 and sample.dim() == 1
    assert sample.numel() > 1_000_000
    assert (sample < 0).all()
    assert minilm.negative_preactivations() is sample


def test_the_forward_only_pass_sees_the_same_preactivations_as_the_measurement():
    # One batch, both ways: the measurement's forward-and-backward and the forward-only pass.
    tokenizer, model = minilm.load_model()
    sentences = minilm.english_sentences()[: minilm.BATCH_SIZE]
    u = minilm._direction(model.config.hidden_size)
    ((_, _, with_grad),) = minilm._hooked_batches(tokenizer, model, sentences, u)
    ((_, _, forward_only),) = minilm._hooked_batches(tokenizer, model, sentences, None)
    for layer, (a, b) in enumerate(zip(with_grad, forward_only, strict=True)):
        assert torch.equal(a["z"], b["z"]), layer
        assert "delta" in a and "delta" not in b
    # The cached sample starts with this batch's negative z on real (non-padding) tokens,
    # layer by layer.
    (_, encoded, _), *_ = minilm._hooked_batches(tokenizer, model, sentences, None)
    real = encoded["attention_mask"].bool()
    assert not real.all()  # the batch has padding, so leaving it out is tested
    first = torch.cat([z[z < 0] for z in (store["z"][real].flatten() for store in with_grad)])
    assert torch.equal(minilm.negative_preactivations()[: first.numel()], first)


def test_a_sweep_run_with_drawn_margins_puts_them_in_ds_biases():
    seeds = (0, 1)
    result = factorial.margin_sweep_run(
        "gelu", "sgd", factorial.DRAWN_MARGINS, seeds=seeds, steps=2, batch=4
    )
    expected = minilm.draw_margins(minilm.negative_preactivations(), seeds, 4)
    assert torch.equal(result.training.initial["bias"][:, result.design.circuit_d], -expected)
