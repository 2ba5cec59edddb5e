"""The real model's text is its own file (claims/data/english-sample.txt), no source document."""

import hashlib

import pytest

from claims.engine import sources
from claims.experiments import minilm

# SHA-256 of the 88 sentences joined by newlines, as all-MiniLM-L6-v2 reads them: Pride and
# Prejudice's first chapter, the Gettysburg Address, then the gradient-hacking passage's S01-S20
# (copied in; before, the loader appended them from the source document). The committed
# real-model measurements rest on exactly this text.
SAMPLE_SHA256 = "a1177e716344bc835c5b95d1109cb0a195a377feb75d18ce4af3a0ba17318a03"


def test_the_real_model_reads_its_own_sample_and_no_source_document(monkeypatch):
    def no_document(name):
        pytest.fail(f"the English sample read the source document {name!r}")

    monkeypatch.setattr(sources, "load", no_document)
    sentences = minilm.english_sentences()
    assert len(sentences) == 88
    digest = hashlib.sha256("\n".join(sentences).encode("utf-8")).hexdigest()
    assert digest == SAMPLE_SHA256, "the text the real model reads changed: its measurements move"
