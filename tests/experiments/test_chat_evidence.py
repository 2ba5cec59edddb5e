"""Evidence files: strict JSON, atomic writes, provenance with file digests."""

import hashlib
import json
import math
from dataclasses import dataclass

import pytest
import torch

from claims.experiments.chat import evidence


@dataclass
class Measured:
    value: float
    values: tuple[float, ...]


def test_plain_makes_strict_json_with_nulls_for_non_finite_numbers():
    data = {"a": Measured(math.nan, (1.0, math.inf)), "t": torch.tensor([0.5, 2.0]), 3: None}
    found = evidence.plain(data)
    assert found == {"a": {"value": None, "values": [1.0, None]}, "t": [0.5, 2.0], "3": None}
    json.dumps(found, allow_nan=False)
    with pytest.raises(TypeError, match="not plain data"):
        evidence.plain({"x": object()})


def test_write_json_leaves_no_half_file_when_the_data_is_not_plain(tmp_path):
    path = tmp_path / "out.json"
    evidence.write_json(path, {"ok": 1})
    with pytest.raises(TypeError):
        evidence.write_json(path, {"bad": object()})
    assert json.loads(path.read_text()) == {"ok": 1}  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_provenance_records_each_files_sha256_relative_to_the_root(tmp_path):
    data = tmp_path / "data" / "x.txt"
    data.parent.mkdir()
    data.write_text("hello")
    found = evidence.provenance(tmp_path, [data], torch.device("cpu"))
    assert found["files"] == {"data/x.txt": hashlib.sha256(b"hello").hexdigest()}
    assert found["git"] == {"commit": None, "clean": None}  # not a repository
    assert found["versions"]["torch"] is not None
    assert found["device"] == "cpu"
