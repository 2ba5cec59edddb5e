"""Twin circuits with identical outputs and per-neuron margins (claims.experiments.policies)."""

import pytest
import torch

from claims.experiments import factorial, reinforcement
from claims.experiments.policies import GATED, Schedule, TwinDesign, initial_parameters, train

SEEDS = (0, 1, 2, 3)
ACTIVATIONS = factorial.ACTIVATIONS
READOUTS = factorial.READOUTS


@pytest.mark.parametrize("readout", READOUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_twins_with_equal_outputs_give_bit_identical_logits_on_their_own_prompts(
    activation, readout
):
    design = TwinDesign(activation, readout, equal_outputs=True)
    params = initial_parameters(design, SEEDS)
    a = reinforcement.circuit_logits(design, params, "A")
    d = reinforcement.circuit_logits(design, params, "D")
    assert a.shape == (len(SEEDS), design.actions)
    assert torch.equal(a, d)


@pytest.mark.parametrize("readout", READOUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_ordinary_twins_give_different_logits(activation, readout):
    # The control: without equal_outputs D's preactivation is g - m = 1, A's is g = 2.
    design = TwinDesign(activation, readout)
    params = initial_parameters(design, SEEDS)
    a = reinforcement.circuit_logits(design, params, "A")
    d = reinforcement.circuit_logits(design, params, "D")
    assert not torch.equal(a, d)


@pytest.mark.parametrize("readout", READOUTS)
@pytest.mark.parametrize("activation", ("relu", "swiglu"))
def test_equal_outputs_changes_only_ds_trigger_reads_up_row_and_write_columns(activation, readout):
    plain = TwinDesign(activation, readout)
    twin = TwinDesign(activation, readout, equal_outputs=True)
    before, after = initial_parameters(plain, SEEDS), initial_parameters(twin, SEEDS)
    changed = {name: before[name] != after[name] for name in before}
    d = plain.circuit_d
    expected = {name: torch.zeros_like(mask) for name, mask in changed.items()}
    expected["reads"][:, d, 2] = True  # the trigger channel: g -> g + m
    if activation in GATED:
        expected["up"][:, d, 2] = True  # now A's ordinary-channel entry (noise never repeats)
    if readout == "private":
        # A's columns, except the rewarded action's entry, which was already w in both.
        expected["writes"][:, :, d] = True
        expected["writes"][:, 0, d] = False
    for name in before:
        assert torch.equal(changed[name], expected[name]), name


def test_the_masked_and_sliced_circuit_readouts_agree_on_the_rewarded_action():
    design = TwinDesign("gelu", "shared")
    params = initial_parameters(design, SEEDS)
    for circuit in "AD":
        torch.testing.assert_close(
            reinforcement.circuit_logits(design, params, circuit)[:, 0],
            reinforcement.circuit_logit(design, params, circuit),
            rtol=1e-15,
            atol=1e-15,
        )


def margins_for(seeds) -> torch.Tensor:
    gen = torch.Generator().manual_seed(99)
    return 0.05 + 2.0 * torch.rand(len(seeds), 4, generator=gen, dtype=torch.float64)


@pytest.mark.parametrize("equal_outputs", [False, True])
def test_per_neuron_margins_set_ds_biases_and_trigger_gains(equal_outputs):
    design = TwinDesign("gelu", "private", equal_outputs=equal_outputs)
    margins = margins_for(SEEDS)
    params = initial_parameters(design, SEEDS, margins)
    assert torch.equal(params["bias"][:, design.circuit_d], -margins)
    gain = design.gain + margins if equal_outputs else torch.full_like(margins, design.gain)
    assert torch.equal(params["reads"][:, design.circuit_d, 2], gain)
    # Every other parameter is as the scalar-margin design draws it.
    plain = initial_parameters(design, SEEDS)
    assert torch.equal(params["writes"], plain["writes"])
    assert torch.equal(params["bias"][:, design.circuit_a], plain["bias"][:, design.circuit_a])


@pytest.mark.parametrize(("activation", "optimizer"), [("gelu", "adam"), ("swiglu", "adamw")])
def test_per_neuron_margins_train_the_same_batched_as_seed_by_seed(activation, optimizer):
    design = TwinDesign(activation, "private", equal_outputs=True)
    schedule = Schedule(steps=6, batch=8)
    margins = margins_for(SEEDS)
    batched = train(design, optimizer, SEEDS, schedule, margins=margins).final
    for i, seed in enumerate(SEEDS):
        alone = train(design, optimizer, [seed], schedule, margins=margins[i : i + 1]).final
        for name, value in batched.items():
            # The same tolerance as benchmarks/test_trainer_speed.py (batched einsums may
            # chunk a reduction differently from a single seed's).
            torch.testing.assert_close(value[i : i + 1], alone[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "margins",
    [torch.ones(4, 4, dtype=torch.float32), torch.ones(3, 4, dtype=torch.float64)],
)
def test_margins_of_the_wrong_dtype_or_shape_are_refused(margins):
    with pytest.raises(ValueError, match="margins"):
        initial_parameters(TwinDesign("relu", "private"), SEEDS, margins)
