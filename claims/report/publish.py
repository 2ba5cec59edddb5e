"""Write a report set whole -- claims.json, claims.md, claims.html and figures/ -- never a mix.

``write_report`` is the one writer of report sets: a pytest session (claims.pytest.session),
``claims render``, ``claims merge`` and ``claims html`` all call it, naming the parts they
rewrite; it renders every part first (claims.report.markdown, claims.report.html) and then
hands the files to ``write_set``.

Every file of a set says which run wrote it: the JSON holds the run id (``run.id``) and each
figure's sha256 (``run.figures``), the Markdown carries the id on its first line and the HTML in
its head, and every reader (``document.load``) refuses a set whose parts disagree. The writer:

1. checks before touching anything: the folder can be made, no target is a directory, and no file
   it would replace was written by anyone but this suite (docs/integrity.md, "A report that cannot lie");
2. writes every new file beside its target under a temporary name (a full disk or a read-only
   folder fails here, with nothing replaced);
3. swaps them in -- figures, then the Markdown and HTML, the JSON last -- and puts the old files
   back if a swap fails;
4. then deletes the figures of the previous set that the new one no longer names, and only those
   the suite wrote and nobody changed since (``figures/.claims-figures.json`` lists them).

A kill between two swaps leaves files whose ids disagree: readers refuse that set until a run
or ``claims render`` writes a whole one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claims.report import html, markdown, stability
from claims.report.document import (
    FIGURES,
    HTML_NAME,
    JSON_NAME,
    MARKDOWN_NAME,
    ReportError,
    carried_id,
    dumps,
    evidence_figures,
    figure_file,
    read_json,
    sha256,
    temp_beside,
    write_atomic,
)

# The figures this suite wrote into a folder's figures/ and has not deleted: {name: sha256}.
WRITTEN = ".claims-figures.json"
# The parts of a report set, by file name (claims.report.document).
PARTS = {"json": JSON_NAME, "markdown": MARKDOWN_NAME, "html": HTML_NAME}
# What a document that loads but lacks a field or holds a wrong type raises while rendering.
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def write_report(
    document: dict[str, Any],
    json_path: Path,
    *,
    parts: tuple[str, ...] = ("json", "markdown", "html"),
    figures: Path | Mapping[str, Path] | None = None,
) -> list[Path]:
    """Render ``parts`` of ``document`` and replace them beside ``json_path`` as one set (the
    Markdown and HTML named after the JSON: out/x.json -> out/x.md, out/x.html). Returns the
    paths written.

    ``figures`` maps each figure the document names to the SVG to copy into figures/ (a shard's
    folder, for ``claims merge``), or is the folder holding them all as <name>.svg (a run's
    staging folder); the JSON then records each copied figure's sha256, so a
    reader can tell this set's figures from another run's. None leaves figures/ as it is and
    renders from it (re-rendering an existing set). ReportError, one line naming the file, for a
    document that is malformed or a set that cannot be written; nothing is replaced then.
    """
    json_path = Path(json_path)
    folder = json_path.parent
    if unknown := sorted(set(parts) - set(PARTS)):
        raise ValueError(f"unknown report parts {unknown}; known: {sorted(PARTS)}")
    if figures is not None:
        named = sorted(evidence_figures(document))
        if not isinstance(figures, Mapping):
            figures = {name: figure_file(Path(figures), name) for name in named}
        if absent := [name for name in named if name not in figures]:
            raise ReportError(f"{json_path}: figure {absent[0]!r} is named but was not given")
        copied = {name: Path(figures[name]) for name in named}
        digests = {name: _digest_of(path) for name, path in copied.items()}
        run = {**document["run"], "figures": {n: d for n, d in digests.items() if d}}
        document = {**document, "run": run}
    else:
        copied = None
    checks = stability.load_checks(folder)
    names = {part: json_path.with_suffix(Path(PARTS[part]).suffix).name for part in parts}
    try:
        texts = {}
        if "json" in parts:
            texts[names["json"]] = dumps(document)
        if "markdown" in parts:
            texts[names["markdown"]] = markdown.render(document, checks)
        if "html" in parts:
            texts[names["html"]] = html.render(document, folder / FIGURES, checks, figures=copied)
    except _MALFORMED as error:
        raise ReportError(
            f"{json_path}: malformed report ({type(error).__name__}: {error})"
        ) from error
    write_set(folder, json_path.name, texts, copied)
    return [folder / name for name in texts]


def _digest_of(path: Path) -> str | None:
    """A figure's sha256, or None when it is missing (write_set then says so)."""
    try:
        return sha256(path)
    except OSError:
        return None


def write_set(
    folder: Path,
    json_name: str,
    texts: Mapping[str, str],
    figures: Mapping[str, Path] | None = None,
) -> None:
    """Replace the files ``texts`` names (file name -> text) in ``folder`` as one set.

    ``figures`` maps each figure name of the new set to the SVG to copy into ``folder/figures``;
    None leaves figures/ as it is (re-rendering the Markdown and HTML of an existing set).
    """
    folder = Path(folder)
    _make_folder(folder)
    json_path = folder / json_name
    new_figures = {name: _read(source) for name, source in sorted((figures or {}).items())}
    # A report written before figures/.claims-figures.json existed names its figures in its
    # evidence; those are ours too (with no digest to check).
    legacy: dict[str, str | None] = dict.fromkeys(_legacy(json_path))
    written = {**legacy, **_written(folder)} if figures is not None else {}
    ours = {f"{name}.svg" for name in written} | {f"{name}.svg" for name in legacy}
    if _ours(json_path):
        ours |= {json_name, Path(json_name).with_suffix(".md").name}
        ours |= {Path(json_name).with_suffix(".html").name}
    plan = [(figure_file(folder / FIGURES, name), data) for name, data in new_figures.items()]
    order = sorted(texts, key=lambda name: name == json_name)  # the JSON last
    plan += [(folder / name, texts[name].encode("utf-8")) for name in order]
    for target, data in plan:
        _check_replaceable(target, data, target.name in ours)
    digests = {name: _digest(data) for name, data in new_figures.items()}
    if digests:
        # Recorded before they are written: a kill after this never leaves a figure of ours
        # that the next run would take for someone else's.
        _record(folder, {**written, **digests})
    _swap(_stage(plan))
    if figures is not None:
        _remove_stale(folder, written, digests)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(
            f"{folder}: cannot make the report folder ({error.strerror or error}); nothing written"
        ) from error
    if not folder.is_dir():
        raise ReportError(f"{folder}: is not a folder; nothing written")


def _read(source: Path) -> bytes:
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ReportError(f"{source}: cannot read this figure: {error.strerror}") from error


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ours(json_path: Path) -> bool:
    """Is the JSON report at this path (and so its Markdown and HTML) one this suite wrote?"""
    document = _json(json_path)
    return isinstance(document, dict) and "schema_version" in document and "claims" in document


def _json(path: Path) -> Any:
    """The JSON at ``path``, or None where there is none this suite would read (read_json)."""
    if not path.exists():
        return None
    try:
        return read_json(path)
    except ReportError:
        return None


def _legacy(json_path: Path) -> set[str]:
    """Figure files a report written before figures/.claims-figures.json existed names.

    Each name must name a file inside figures/ (``figure_file``): the stale ones are deleted,
    so a name like ``../../victim`` is refused (ReportError, nothing written), never followed.
    """
    document = _json(json_path)
    try:
        names = evidence_figures(document)
    except (KeyError, TypeError, AttributeError):
        return set()
    return _confined(json_path, json_path.parent, names)


def _written(folder: Path) -> dict[str, str | None]:
    record = _json(folder / FIGURES / WRITTEN)
    if not isinstance(record, dict):
        return {}
    _confined(folder / FIGURES / WRITTEN, folder, set(record))
    return {name: digest if isinstance(digest, str) else None for name, digest in record.items()}


def _confined(source: Path, folder: Path, names: set[Any]) -> set[str]:
    """``names``, read from ``source``, if each is a figure file inside folder/figures."""
    for name in sorted(names, key=repr):
        try:
            figure_file(folder / FIGURES, name)
        except ReportError as error:
            raise ReportError(f"{source}: {error}; nothing written") from error
    return names


def _record(folder: Path, written: Mapping[str, str | None]) -> None:
    try:
        write_atomic(folder / FIGURES / WRITTEN, json.dumps(dict(sorted(written.items()))) + "\n")
    except OSError as error:
        raise ReportError(
            f"{folder / FIGURES}: cannot write there ({error.strerror or error}); nothing written"
        ) from error


def _check_replaceable(target: Path, data: bytes, ours: bool) -> None:
    """Refuse to replace a directory, or a file this suite did not write (unless identical)."""
    if target.is_dir():
        raise ReportError(f"{target}: is a folder where the report writes a file; nothing written")
    if not target.exists() and not target.is_symlink():
        return
    if ours or (target.parent.name != FIGURES and _carries_id(target)):
        return
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    raise ReportError(
        f"{target}: not written by the claims suite; refusing to replace it (nothing written): "
        "choose another report folder, or move the file"
    )


def _carries_id(path: Path) -> bool:
    try:
        return carried_id(path) is not None
    except OSError:
        return False


def _stage(plan: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in plan:
            target.parent.mkdir(exist_ok=True)
            handle, temp = temp_beside(target, ".new")
            staged.append((temp, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
    except OSError as error:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        where = target.parent
        raise ReportError(
            f"{where}: cannot write the report there ({error.strerror or error}); nothing written"
        ) from error
    return staged


def _swap(staged: list[tuple[Path, Path]]) -> None:
    """Move each new file over its target; on a failure put every replaced file back."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for temp, target in staged:
            backup = None
            if target.exists():
                backup = temp.with_suffix(".old")
                try:
                    os.link(target, backup)
                except OSError:
                    shutil.copy2(target, backup)
            os.replace(temp, target)
            done.append((target, backup))
    except OSError as error:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
            temp.with_suffix(".old").unlink(missing_ok=True)
        raise ReportError(
            f"{target}: cannot replace it ({error.strerror or error}); the previous report set "
            "was put back"
        ) from error
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _remove_stale(folder: Path, written: dict[str, str | None], kept: dict[str, str]) -> None:
    """Delete figures of ours the new set does not name, unless changed since we wrote them."""
    for name, digest in sorted(written.items()):
        path = figure_file(folder / FIGURES, name)
        if name not in kept and path.is_file() and not path.is_symlink():
            if digest is None or sha256(path) == digest:
                path.unlink()
    if kept or written:
        _record(folder, kept)
