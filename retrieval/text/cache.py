"""An on-disk cache of analysed corpora, so a restart does not segment and tokenise again.

The cache is never required: a missing, unreadable, unwritable, stale or corrupt entry means
the corpus is analysed from its files as if there were no cache (logged at debug level).

An entry is keyed on each corpus file's path and a SHA-256 of its content, on
`analysis.ANALYSIS_VERSION`, on CACHE_VERSION, and on the source of the project's
segmentation and analysis code (and nltk's version), so editing an article, the analysis
or Punkt's settings rebuilds it even when nobody remembered to bump a version number.
Content, not size and modification time: an edit that keeps both (`cp -p`, `touch -r`, a
restored backup) must be noticed, and hashing costs little beside reading the files, which
a cache hit needs anyway to know they are unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import pickle
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import analysis
from .analysis import Token, tokenize
from .articles import (
    Article,
    Source,
    article_or_warning,
    corpus_path,
    parse_sources,
    read_sources,
)

log = logging.getLogger(__name__)

# Bump when the layout of a cache entry changes.
CACHE_VERSION = 2

# One sentence's tokens as stored: (start, end, term) per token; the text is a slice of the
# sentence. Storing Token objects would make pickle call a Python __setstate__ per token,
# which loads slower than tokenising again.
_StoredTokens = tuple[tuple[int, int, str | None], ...]


@dataclass(frozen=True, slots=True)
class AnalysedCorpus:
    articles: tuple[Article, ...]
    tokens: tuple[tuple[Token, ...], ...]  # one entry per sentence, in corpus order


def analyse_corpus(corpus: Sequence[Article]) -> AnalysedCorpus:
    """Tokenise every sentence of `corpus` (no cache involved)."""
    return AnalysedCorpus(
        tuple(corpus), tuple(tuple(tokenize(s.text)) for a in corpus for s in a.sentences)
    )


def load_corpus(path: str | Path, directory: str | Path, strict: bool = False) -> AnalysedCorpus:
    """The analysed corpus at `path`, from the cache in `directory` when it is up to date.

    Raises CorpusError exactly as `articles.load_articles` does; cache trouble never raises.
    """
    sources = read_sources(path, strict)  # each file read once: hashed here, parsed on a miss
    entry = Path(directory) / f"{_digest(str(corpus_path(path).resolve()))[:32]}.pickle"
    key = _key(sources)
    cached = _read(entry, key)
    if cached is not None:
        log.debug("analysed corpus of %s read from %s", path, entry)
        if len(sources) > 1:
            # The files skipped when the entry was made are skipped again, and said so.
            kept = {a.source for a in cached.articles}
            for source in sources:
                if str(source.path) not in kept:
                    if strict:
                        parse_sources([source])  # raises, naming the file
                    article_or_warning(source)
        return cached
    corpus = analyse_corpus(parse_sources(sources, strict))
    _write(entry, key, corpus)
    return corpus


def _key(sources: Sequence[Source]) -> tuple[object, ...]:
    files = tuple((str(s.path), _digest_bytes(s.raw)) for s in sources)
    return (CACHE_VERSION, analysis.ANALYSIS_VERSION, _code_fingerprint(), files)


# The modules whose code decides what the analysed-corpus cache holds: segmentation and
# the analysis. Named by file, under the `retrieval` package: ranking/corpus.py imports
# this module.
CACHED_BY = (
    "text/analysis.py",
    "text/articles.py",
    "text/sentence_split.py",
    "text/lexicon.py",
    "text/markdown.py",
)
# What an archive index holds besides: acronym and name evidence, the stem table, postings
# and their BM25 impacts.
ARCHIVED_BY = (
    *CACHED_BY,
    "ranking/corpus.py",
    "archive/files.py",
    "archive/evidence.py",
    "archive/writer.py",
    "ranking/index.py",
)
_PACKAGE = Path(__file__).resolve().parent.parent


def _code_fingerprint(modules: Sequence[str] = CACHED_BY) -> str:
    """A digest of the code whose output is stored: `modules` of this package, the
    irregular forms table the analysis reads, and the versions of nltk (its stemmer), the
    regex engine (its Unicode classes split sentences) and Python's Unicode database."""
    parts = []
    for name in modules:
        try:
            parts.append((_PACKAGE / name).read_bytes())
        except OSError:
            parts.append(name.encode())
    parts.append(repr(tuple(analysis.irregular().items())).encode())
    parts.append(unicodedata.unidata_version.encode())
    # Versions read from the installed files, without importing (nltk's import is what a
    # warm cache saves).
    spec = importlib.util.find_spec("nltk")
    if spec is not None and spec.origin:
        try:
            parts.append((Path(spec.origin).parent / "VERSION").read_bytes())
        except OSError:
            parts.append(spec.origin.encode())
    parts.append(_installed_version("regex").encode())
    return _digest_bytes(b"\0".join(parts))


def _installed_version(package: str) -> str:
    """The name of `package`'s installed metadata (`regex-2026.11.19.dist-info`), or its
    location: what changes when it is upgraded."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return ""
    site = Path(spec.origin).parent.parent
    try:
        found = sorted(p.name for p in site.glob(f"{package}-*.dist-info"))
    except OSError:
        found = []
    return " ".join(found) or spec.origin


def _read(entry: Path, key: tuple[object, ...]) -> AnalysedCorpus | None:
    try:
        with entry.open("rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                # Unpickling runs code: only trust an entry the user wrote themselves.
                log.debug("cache entry %s belongs to another user; ignored", entry)
                return None
            payload = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a corrupt entry may fail in any way while unpickling
        log.debug("cache entry %s unreadable (%r); analysing again", entry, error)
        return None
    try:
        stored_key, corpus, stored_tokens = payload
        if stored_key != key:
            log.debug("cache entry %s is stale; analysing again", entry)
            return None
        return _restore(corpus, stored_tokens)
    except Exception as error:
        log.debug("cache entry %s malformed (%r); analysing again", entry, error)
        return None


def _restore(corpus: object, stored: object) -> AnalysedCorpus:
    if not isinstance(corpus, tuple) or not all(isinstance(a, Article) for a in corpus):
        raise TypeError("articles are not Article records")
    sentences = [s.text for a in corpus for s in a.sentences]
    if not isinstance(stored, tuple) or len(stored) != len(sentences):
        raise ValueError("token lists do not match the sentences")
    tokens = tuple(
        tuple(Token(text[start:end], start, end, term) for start, end, term in sentence)
        for text, sentence in zip(sentences, stored, strict=True)
    )
    return AnalysedCorpus(corpus, tokens)


def _write(entry: Path, key: tuple[object, ...], corpus: AnalysedCorpus) -> None:
    stored: tuple[_StoredTokens, ...] = tuple(
        tuple((t.start, t.end, t.term) for t in sentence) for sentence in corpus.tokens
    )
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Write aside, then rename: a reader never sees half an entry, even from another
        # process answering from the same corpus.
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((key, corpus.articles, stored), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        log.debug("cannot write cache entry %s (%s); continuing without it", entry, error)


def _digest(text: str) -> str:
    return _digest_bytes(text.encode("utf-8", "surrogatepass"))


def _digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
