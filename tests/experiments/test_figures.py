"""The sweep figures draw what they are given (claims.experiments.reinforcement_figures)."""

import pytest

from claims.experiments import reinforcement_figures as figures
from claims.instruments.statistics import Interval


def intervals(*means: float) -> list[Interval]:
    return [Interval(m, m - 0.1, m + 0.1, 4) for m in means]


def test_ratio_vs_margin_draws_a_panel_per_measure_and_a_line_per_optimizer():
    panels = {
        measure: {"SGD": intervals(0.5, 0.2, 0.1), "Adam": intervals(0.9, 0.8, 0.7)}
        for measure in ("incoming", "outgoing")
    }
    drawn = {"incoming": {"margins from all-MiniLM-L6-v2": Interval(0.3, 0.2, 0.4, 4)}}
    figure = figures.ratio_vs_margin([0.5, 1.0, 2.0], panels, drawn=drawn)
    axes = figure.axes
    assert [a.get_title() for a in axes] == ["incoming", "outgoing"]
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert {"SGD", "Adam", "margins from all-MiniLM-L6-v2"} <= set(labels)
    assert list(axes[0].get_lines()[0].get_ydata()) == [0.5, 0.2, 0.1]


def test_ratio_vs_active_fraction_uses_a_log_axis():
    panels = {"incoming": {"ReLU/SGD": intervals(0.0, 0.1), "GELU/Adam": intervals(0.5, 0.6)}}
    figure = figures.ratio_vs_active_fraction([0.01, 0.1], panels)
    assert figure.axes[0].get_xscale() == "log"


def test_transformer_ratio_vs_steps_draws_one_line_per_unit():
    figure = figures.transformer_ratio_vs_steps(
        [1, 3, 10],
        {"relu": [0.2, 0.3, 0.4], "swiglu": [0.5, 0.5, 0.6]},
        bands={"relu": [(0.1, 0.3), (0.2, 0.4), (0.3, 0.5)]},
    )
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert labels[:2] == ["relu", "swiglu"]


def test_a_curve_with_the_wrong_number_of_points_is_an_error():
    with pytest.raises(ValueError, match="intervals for"):
        figures.ratio_vs_margin([0.5, 1.0], {"incoming": {"SGD": intervals(0.5)}})
    with pytest.raises(ValueError, match="ratios for"):
        figures.transformer_ratio_vs_steps([1, 3], {"relu": [0.1]})
