"""The text under test: the project's own copy of the source passage, one sentence per line.

Claims cite sentences by id (``S09``) and quote them verbatim; the registry checks every quote
against this file, so a claim can never rest on words the source does not contain.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

SOURCE_FILE = "gradient-hacking-post.txt"
# "[S09] This means that, ..." -- the id in brackets, then the sentence.
_SENTENCE_LINE = re.compile(r"^\[(S\d{2})\]\s+(.+?)\s*$")


def parse_sentences(text: str) -> dict[str, str]:
    """Map sentence id to sentence text; comment lines (#) and blank lines are ignored."""
    sentences: dict[str, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _SENTENCE_LINE.match(line)
        if match is None:
            raise ValueError(f"{SOURCE_FILE}:{line_number}: not a '[Snn] sentence' line: {line!r}")
        sentence_id, sentence = match.groups()
        if sentence_id in sentences:
            raise ValueError(f"{SOURCE_FILE}:{line_number}: duplicate sentence id {sentence_id}")
        sentences[sentence_id] = sentence
    return sentences


@cache
def sentences() -> dict[str, str]:
    """The source passage shipped in claims/data, parsed."""
    text = resources.files("claims").joinpath("data", SOURCE_FILE).read_text(encoding="utf-8")
    return parse_sentences(text)
