"""A server's own article: an uploaded .txt or .md file, checked, kept in the data
directory (one folder a server), and loaded the way the bundled one is."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from retrieval import QA, CorpusError
from retrieval.text.articles import decode, parse_article, slugify

from .. import paths

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
    """Keep `text` beside the server's current article, in a folder of its own named by its
    content (the file keeps its name: the name is the article's slug); its path relative
    to `folder`. Written beside and renamed into place: a crash leaves no half a file."""
    name = Path(filename)
    stored = f"{slugify(name.stem) or 'article'}{name.suffix.casefold()}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    home = folder / str(guild) / digest
    home.mkdir(parents=True, exist_ok=True)
    temporary = home / f".{stored}.{os.getpid()}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(home / stored)
    return f"{guild}/{digest}/{stored}"


def keep_only(folder: Path, guild: int, relative: str | None) -> None:
    """Delete the server's saved articles but `relative` (None: all of them)."""
    kept = Path(relative).parts[1] if relative else None
    home = folder / str(guild)
    if not home.is_dir():
        return
    for entry in home.iterdir():
        if entry.name != kept:
            shutil.rmtree(entry, ignore_errors=True)
    if kept is None:
        shutil.rmtree(home, ignore_errors=True)


def load(folder: Path, relative: str) -> QA:
    """The QA over a saved article; the analysis is cached, so it is made once."""
    return QA.load(folder / relative, cache_dir=paths.cache_dir())
