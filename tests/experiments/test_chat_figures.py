"""The chat-model figures draw what they are given (claims.experiments.chat.figures)."""

import math

import pytest
import torch

from claims.experiments.chat import figures
from tests.common.chat_inputs import hand_made_run


def test_gate_histograms_draw_a_panel_per_layer_with_plus_and_minus_t_marked():
    edges = (-1.0, -0.5, 0.0, 0.5, 1.0)
    # Two layers; bins: < -1, [-1, -.5), [-.5, 0), [0, .5), [.5, 1), >= 1.
    histogram = torch.tensor([[1, 2, 3, 4, 0, 0], [0, 0, 5, 5, 0, 10]])
    figure = figures.gate_histograms(histogram, edges, 0.75, title="t", columns=2)
    visible = [axes for axes in figure.axes if axes.get_visible()]
    assert len(visible) == 2
    assert visible[0].get_title() == "layer 0: 60% < 0, 10.0% off-axis"
    assert visible[1].get_title() == "layer 1: 25% < 0, 50.0% off-axis"
    marks = sorted(line.get_xdata()[0] for line in visible[0].get_lines())
    assert marks == [-0.75, 0.0, 0.75]


def test_histogram_edges_without_zero_are_an_error():
    with pytest.raises(ValueError, match="include 0"):
        figures.gate_histograms(
            torch.ones(1, 4, dtype=torch.long), (-1.0, -0.5, 1.0), 0.5, title=""
        )


def test_pooled_bins_weight_each_seed_by_its_neurons():
    runs = [hand_made_run([]), hand_made_run([])]
    pooled = figures.pooled_update_by_activity(runs, "adam", "gate_rows", (0.0, 0.2, 0.5, 1.0))
    assert pooled == [
        (0.0, 0.0, 4, 4.0),
        (0.0, 0.2, 4, 3.5),
        (0.2, 0.5, 4, 5.5),
        (0.5, 1.0, 4, 5.0),
    ]
    empty = figures.pooled_update_by_activity(runs, "adam", "gate_rows", (0.0, 0.05, 0.09))
    assert empty[2][2] == 0 and math.isnan(empty[2][3])


def test_update_vs_activity_draws_each_part_relative_to_the_others():
    run = hand_made_run([0])  # neuron 0 (update 1) closed on every token; the others average 5
    figure = figures.update_vs_activity([run], "adam", title="Adam", threshold=0.1)
    axes = figure.axes[0]
    lines = [line for line in axes.get_lines() if line.get_label() in figures.PART_LABELS.values()]
    assert [line.get_label() for line in lines] == ["gate rows", "up rows", "down columns"]
    # Activity 0 holds neurons 0 and 6 (updates 1 and 7): mean 4, over the others' (2..8) 35/7.
    assert lines[0].get_ydata()[0] == pytest.approx(4 / (35 / 7))
    assert axes.get_yscale() == "log"
