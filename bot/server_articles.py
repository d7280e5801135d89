"""A server's own article: an uploaded .txt or .md file, checked, kept in the data
directory (one folder a server), and loaded the way the bundled one is."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from retrieval import QA, CorpusError
from retrieval.articles import decode, parse_article, slugify

from . import paths

MAX_BYTES = 200_000  # a long feature is 60 KB; a server's article is one article
SUFFIXES = (".txt", ".md")


class UploadError(ValueError):
    """Why an upload is not an article, in one line for the manager who sent it."""


def articles_dir(override: str | Path | None = None) -> Path:
    return Path(override) if override else paths.data_dir() / "server-articles"


def check_upload(filename: str, size: int) -> None:
    """Refuse what can be refused before downloading: the kind of file and its size."""
    if Path(filename).suffix.casefold() not in SUFFIXES:
        raise UploadError(f"{filename} is not a .txt or .md file")
    if size > MAX_BYTES:
        raise UploadError(f"{filename} is {size:,} bytes: the limit is {MAX_BYTES:,}")


def article_text(filename: str, raw: bytes) -> str:
    """The upload's text once it proves to be an article: UTF-8 text, not binary, not empty,
    a title and at least one paragraph of sentences."""
    check_upload(filename, len(raw))
    name = Path(filename)
    try:
        text = decode(name, raw)
        article = parse_article(
            text, slug="check", source=filename, markdown=name.suffix.casefold() == ".md"
        )
    except CorpusError as error:
        raise UploadError(str(error)) from None
    if not any(p.sentences for p in article.paragraphs):
        raise UploadError(f"{filename}: no sentences to answer from")
    return text


def save(folder: Path, guild: int, filename: str, text: str) -> str:
    """Keep `text` as the server's only article; its path relative to `folder`. Written
    beside and renamed into place: a crash leaves the old article or the new, whole."""
    name = Path(filename)
    stored = f"{slugify(name.stem) or 'article'}{name.suffix.casefold()}"
    home = folder / str(guild)
    home.mkdir(parents=True, exist_ok=True)
    temporary = home / f".{stored}.{os.getpid()}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(home / stored)
    for other in home.iterdir():
        if other.name != stored:
            with contextlib.suppress(OSError):
                other.unlink()
    return f"{guild}/{stored}"


def remove(folder: Path, guild: int) -> None:
    shutil.rmtree(folder / str(guild), ignore_errors=True)


def load(folder: Path, relative: str) -> QA:
    """The QA over a saved article; the analysis is cached, so it is made once."""
    return QA.load(folder / relative, cache_dir=paths.cache_dir())
