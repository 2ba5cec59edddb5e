"""Grid and proposition parameters carry their claim markers (claims.pytest.parametrize)."""

from types import SimpleNamespace

import pytest

from claims.pytest.parametrize import grid_params, proposition_params


def proposition(name: str, grid=None, cell=None) -> SimpleNamespace:
    return SimpleNamespace(id=f"toy/{name}", grid=grid, cell=cell or {})


CLAIM = SimpleNamespace(
    id="toy",
    grids=(SimpleNamespace(name="weights", axes=("activation", "optimizer")),),
    propositions=(
        proposition("gelu-sgd", "weights", {"optimizer": "SGD", "activation": "GELU"}),
        proposition("plain"),
        proposition("relu-adam", "weights", {"activation": "ReLU", "optimizer": "Adam"}),
        proposition("other", "behaviour", {"readout": "shared"}),
    ),
)


def marker(param) -> tuple:
    (mark,) = param.marks
    return mark.name, mark.args, mark.kwargs


def test_grid_params_give_one_marked_case_per_cell_in_catalog_order():
    params = grid_params(CLAIM, "weights", "experiment")
    assert [p.id for p in params] == ["GELU-SGD", "ReLU-Adam"]  # the grid's axis order
    assert params[0].values == ({"optimizer": "SGD", "activation": "GELU"},)
    assert marker(params[1]) == ("claim", ("toy/relu-adam",), {"kind": "experiment"})


def test_grid_params_may_give_each_cell_its_own_evidence_kind():
    def kind(cell: dict) -> str:
        return "construction" if cell["activation"] == "ReLU" else "experiment"

    params = grid_params(CLAIM, "weights", kind)
    assert [marker(p)[2]["kind"] for p in params] == ["experiment", "construction"]


def test_grid_params_follow_the_cells_own_order_when_the_claim_declares_no_grid():
    claim = SimpleNamespace(id="toy", propositions=CLAIM.propositions)  # no `grids` attribute
    (param,) = grid_params(claim, "behaviour", "experiment")
    assert param.id == "shared"


def test_grid_params_refuse_a_grid_with_no_propositions():
    with pytest.raises(ValueError, match="no proposition"):
        grid_params(CLAIM, "weigths", "experiment")


def test_grid_params_work_on_propositions_without_grid_fields():
    claim = SimpleNamespace(id="toy", propositions=(SimpleNamespace(id="toy/old"),))
    with pytest.raises(ValueError, match="no proposition"):
        grid_params(claim, "weights", "experiment")


def test_proposition_params_accept_names_or_full_ids():
    params = proposition_params(CLAIM, ["plain", "toy/other"], "property")
    assert [p.values for p in params] == [("plain",), ("other",)]
    assert [p.id for p in params] == ["plain", "other"]
    assert marker(params[1]) == ("claim", ("toy/other",), {"kind": "property"})


def test_proposition_params_from_a_mapping_take_its_keys_as_values():
    params = proposition_params(CLAIM, {"relu": "relu-adam", "gelu": "gelu-sgd"}, "experiment")
    assert [(p.values, p.id) for p in params] == [(("relu",), "relu"), (("gelu",), "gelu")]
    assert marker(params[0])[1] == ("toy/relu-adam",)


def test_proposition_params_refuse_an_unknown_proposition():
    with pytest.raises(ValueError, match="not a proposition"):
        proposition_params(CLAIM, ["missing"], "experiment")
