"""Fixtures for the chat-model instruments: the real model's first layers and its tokenizer, and
the tiny random Llama (tests/common/tiny_llama.py) driven by that tokenizer."""

from __future__ import annotations

import pytest
import torch

from claims.experiments.chat import model as chat_model
from tests.common.tiny_llama import tiny_llama


@pytest.fixture(scope="session")
def smollm2_two_layers() -> chat_model.ChatModel:
    """The real model's first two decoder layers (from the build/ cache; built on first use)."""
    return chat_model.load(layers=2)


@pytest.fixture(scope="session")
def tokenizer(smollm2_two_layers):
    return smollm2_two_layers.tokenizer


@pytest.fixture
def tiny_chat(tokenizer) -> chat_model.ChatModel:
    """A float64 tiny Llama driven by the real tokenizer: exact algebra checks."""
    return chat_model.from_model(tiny_llama(dtype=torch.float64), tokenizer)
