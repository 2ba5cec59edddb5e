"""The texts under test: source documents, one file each, one numbered sentence per line.

A source document is ``claims/data/sources/<name>.txt`` (docs/adding-a-claim.md, "A claim from a new text"): ``<name>`` is
kebab-case and is how claims cite it (``SourceRef("gradient-hacking", "S09", "<quote>")``). Each
line is ``[S09] <sentence>``, a ``#`` comment or blank; an optional comment ``# Title: <text>``
names the document for the report. Sentence ids are ``S`` and digits (leading zeros allowed, so
``S007`` and ``S123`` both work), unique within their document by number. The registry checks
every quote against its own document, so a claim can never rest on words its source does not
contain. ``claims import-source`` writes such a file from plain prose (claims/cli/importing.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# Where documents live, inside the claims package (shipped as package data).
FOLDER = ("data", "sources")
DOCUMENT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SENTENCE_ID = re.compile(r"^S\d+$")
# "[S09] This means that, ..." -- the id in brackets, then the sentence.
_SENTENCE_LINE = re.compile(r"^\[(S\d+)\]\s+(.+?)\s*$")
_TITLE_LINE = re.compile(r"^#\s*Title:\s*(.+?)\s*$")
# A word of two or more letters: a quote holds at least one (docs/adding-a-claim.md, "Quotes").
_QUOTED_WORD = re.compile(r"[^\W\d_]{2,}")


class SourceError(ValueError):
    """A source document is missing, badly named or not in the ``[Snn] sentence`` format."""


@dataclass(frozen=True)
class Document:
    # kebab-case; the file is claims/data/sources/<name>.txt.
    name: str
    # From the "# Title:" comment; the name when there is none.
    title: str
    # Where it lives, relative to the project root, e.g. "claims/data/sources/<name>.txt".
    path: str
    # Sentence id -> sentence text, in document order.
    sentences: Mapping[str, str] = field(default_factory=dict)


def check_name(name: object) -> str:
    """``name`` if it can name a document (kebab-case); SourceError otherwise."""
    if not isinstance(name, str) or not DOCUMENT_NAME.match(name):
        raise SourceError(
            f"document name {name!r} is not kebab-case (lowercase letters and digits joined by "
            "single dashes, e.g. my-essay)"
        )
    return name


def check_title(title: object) -> str:
    """``title`` if it can title a document: one line of text (its file holds it on a
    ``# Title:`` line, so a line break would start a line of its own, even a ``[S99]``
    sentence the text does not hold); SourceError otherwise."""
    if not isinstance(title, str) or not title.strip() or title.splitlines() != [title]:
        raise SourceError(f"title {title!r} must be one non-empty line of text")
    return title


def path_of(name: str) -> str:
    return "/".join(("claims", *FOLDER, f"{name}.txt"))


def parse_sentences(text: str, where: str = "<text>") -> dict[str, str]:
    """Map sentence id to sentence text; comment lines (#) and blank lines are ignored.

    Raises SourceError (naming ``where`` and the line) for a line that is not ``[Snn] sentence``
    and for an id used twice (by number: ``S1`` and ``S01`` are the same sentence).
    """
    sentences: dict[str, str] = {}
    numbers: dict[int, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _SENTENCE_LINE.match(line)
        if match is None:
            raise SourceError(f"{where}:{line_number}: not a '[Snn] sentence' line: {line!r}")
        sentence_id, sentence = match.groups()
        other = numbers.setdefault(int(sentence_id[1:]), sentence_id)
        if sentence_id in sentences or other != sentence_id:
            raise SourceError(f"{where}:{line_number}: duplicate sentence id {sentence_id}")
        sentences[sentence_id] = sentence
    return sentences


def parse_document(name: str, text: str) -> Document:
    """The document ``name`` from its file's text (SourceError if malformed or empty)."""
    path = path_of(check_name(name))
    sentences = parse_sentences(text, path)
    if not sentences:
        raise SourceError(f"{path}: holds no '[Snn] sentence' line")
    titles = (_TITLE_LINE.match(line) for line in text.splitlines() if line.startswith("#"))
    title = next((match.group(1) for match in titles if match), name)
    return Document(name=name, title=title, path=path, sentences=sentences)


def names() -> list[str]:
    """The documents shipped in claims/data/sources, sorted."""
    folder = resources.files("claims").joinpath(*FOLDER)
    if not folder.is_dir():
        return []
    found = (e.name.removesuffix(".txt") for e in folder.iterdir() if e.name.endswith(".txt"))
    return sorted(name for name in found if DOCUMENT_NAME.match(name))


@cache
def load(name: str) -> Document:
    """The shipped document ``name``, parsed; SourceError naming the known ones if absent."""
    path = resources.files("claims").joinpath(*FOLDER, f"{check_name(name)}.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        known = ", ".join(names()) or "none"
        raise SourceError(
            f"unknown document {name!r} (no {path_of(name)}); documents: {known}"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path_of(name)}: unreadable: {error}") from error
    return parse_document(name, text)


def render(title: str, sentences: list[str], note: str = "") -> str:
    """A document's file text: the title comment, an optional note, then one ``[Snn]`` line per
    sentence, numbered from 1 with at least two digits (S01..S99, S001..S999 past 99)."""
    width = max(2, len(str(len(sentences))))
    lines = [f"# Title: {check_title(title)}", *(f"# {line}" for line in note.splitlines()), ""]
    for number, sentence in enumerate(sentences, start=1):
        lines += [f"[S{number:0{width}d}] {sentence}", ""]
    return "\n".join(lines)


def full_quote(quote: str, sentence: str) -> bool:
    """Is ``quote`` a full word or more of ``sentence`` (docs/adding-a-claim.md, "Quotes")?

    It must hold a word of two or more letters, and occur in the sentence starting and ending
    at word boundaries: no letter or digit of a word cut off on either side ("rror sig" of
    "error signal" is refused, "error signal" and "signal at" are quotes).
    """
    if not quote or not _QUOTED_WORD.search(quote):
        return False

    def inside_word(left: str, right: str) -> bool:
        return (left.isalnum() or left == "_") and (right.isalnum() or right == "_")

    start = sentence.find(quote)
    while start != -1:
        end = start + len(quote)
        before = sentence[start - 1] if start else " "
        after = sentence[end] if end < len(sentence) else " "
        if not inside_word(before, quote[0]) and not inside_word(quote[-1], after):
            return True
        start = sentence.find(quote, start + 1)
    return False
