"""``claims import-source FILE --name NAME``: a prose text becomes a numbered source document.

The text is split into sentences, each written as one ``[Snn] sentence`` line of
``claims/data/sources/<name>.txt`` (the format of claims/engine/sources.py), and the command
prints how to cite it. Claims then quote it by name: ``SourceRef(document="<name>", sentence="S01", quote="<quote>")``.

The splitter is sentencex (https://github.com/wikimedia/sentencex, Wikimedia's rule-based
segmenter, MIT, pinned in pyproject.toml and constraints.txt). Why it, over the alternatives
tried on this project's English sample (Pride and Prejudice, chapter 1) and on abbreviations
("Dr. Smith met Mr. Jones at 3 p.m. on Jan. 5"):
- it is maintained (releases through 2026), has no dependencies and ships its rules and
  abbreviation lists inside the wheel: nothing is downloaded, ever, and it is deterministic;
- it kept every abbreviation, number and "e.g." whole and split the gradient-hacking passage into
  exactly its 20 sentences;
- nltk's Punkt needs a trained model: its shipped one is a data download (forbidden at run
  time), and trained unsupervised on the short text itself it split "Mrs. | Long" and
  "Jan. | 5" (too little text to learn abbreviations from);
- pysbd (last release 2021) and syntok (2022) are no longer maintained; spaCy's sentencizer
  would bring a large NLP stack for one rule-based pass.
Like any rule-based splitter it keeps a quotation of several sentences ("Oh! Single, my dear")
together; a paragraph break (a blank line) always ends a sentence; whitespace inside a sentence
(a hard-wrapped line) becomes one space. Quotes are checked against the written document, so
they quote it as written.
"""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

from claims.engine import sources, untrusted
from claims.report.document import temp_beside

# Paragraphs: separated by a line holding only whitespace.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# The largest text import-source reads (docs/command-line.md, "claims import-source"): an essay or a paper's
# argument, with room to spare (the gradient-hacking passage is 3.5 kB, a novel about 0.7 MB).
MAX_SOURCE_BYTES = 2**20


class SourceImportError(ValueError):
    """The text cannot become a source document here (bad name, exists, empty, unreadable)."""


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, each on one line (inner whitespace runs -> one space).

    Paragraphs (blank-line separated) are split apart first, then each with sentencex's English
    rules; empty pieces are dropped.
    """
    import sentencex

    sentences = []
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")):
        for piece in sentencex.segment("en", paragraph):
            sentence = " ".join(piece.split())
            if sentence:
                sentences.append(sentence)
    return sentences


def import_source(file: Path, name: str, root: Path, title: str | None = None) -> list[str]:
    """Write ``root/claims/data/sources/<name>.txt`` from the prose in ``file``; return what to
    print (what was written, and how to cite it).

    Raises (one line each, both ValueErrors) sources.SourceError for a name that is not
    kebab-case or a title that is empty or spans lines; SourceImportError for a document that
    exists (never overwritten), a file over MAX_SOURCE_BYTES, one that is not a regular file (a
    FIFO or a device: refused without reading), an unreadable or sentence-less file, or a root
    that is not the project root.
    """
    sources.check_name(name)
    if title is not None:
        sources.check_title(title)
    folder = root / "claims" / Path(*sources.FOLDER)
    if not folder.is_dir():
        raise SourceImportError(
            f"{root.resolve()} is not the project root (no claims/data/sources/ there); run from "
            "the root or pass --root"
        )
    target = folder / f"{name}.txt"
    if target.exists():
        raise SourceImportError(f"{sources.path_of(name)} already exists; choose another --name")
    try:
        text = untrusted.read_file(file, MAX_SOURCE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError, untrusted.UntrustedInput) as error:
        said = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise SourceImportError(f"{file}: cannot read it as UTF-8 text: {said}") from error
    sentences = split_sentences(text)
    if not sentences:
        raise SourceImportError(f"{file}: holds no sentence")
    note = (
        f"Imported from {Path(file).name} by `claims import-source` (sentences split by "
        f"sentencex {metadata.version('sentencex')}); cite it as document {name!r}."
    )
    document = sources.render(title or name, sentences, note)
    parsed = sources.parse_document(name, document)  # what the registry will read back
    _write_new(target, document)
    first, last = list(parsed.sentences)[0], list(parsed.sentences)[-1]
    return [
        f"wrote {sources.path_of(name)}: {len(sentences)} sentences, {first}-{last}",
        "Cite a sentence in a catalog module with its verbatim words, e.g.",
        f"    SourceRef(document={name!r}, sentence={first!r}, "
        f"quote={citation(parsed.sentences[first])!r})",
        f"and scaffold a claim against it with: claims new <claim-id> --source {name}",
    ]


def citation(sentence: str, words: int = 8) -> str:
    """The first ``words`` words of a sentence: a verbatim quote to start from."""
    return " ".join(sentence.split(" ")[:words])


def _write_new(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` atomically, never replacing an existing file: a temp file in
    the same folder, then os.link (which fails if the target appeared meanwhile)."""
    handle, temp = temp_beside(target, ".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.link(temp, target)
    except FileExistsError as error:
        raise SourceImportError(f"{target.name} appeared while writing; not overwritten") from error
    finally:
        Path(temp).unlink(missing_ok=True)
