"""One article file of an archive, analysed on its own: what a refresh keeps of a file that
did not change, so that only new and changed files are read, segmented and tokenised again.

Corpus-wide facts (acronyms, names) are kept as each file's evidence and merged in file
order, which gives exactly what `corpus.learn_acronyms` finds over the whole corpus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import itemgetter

import numpy as np

from ..ranking.corpus import initialled_phrases, written_acronyms
from ..text.analysis import TokenColumns, token_columns
from ..text.articles import parse_article
from .evidence import Interim, KeptEvidence, bounds, kept_evidence
from .reader import Archive


@dataclass(frozen=True, slots=True)
class Chunk:
    """One file's sentences as the archive stores them, ready to be concatenated."""

    title: str
    text: bytes  # the paragraphs, UTF-8, each followed by "\n"
    paragraph_bytes: np.ndarray  # each paragraph's length in `text`, newline included
    sentence_paragraph: np.ndarray  # 0-based paragraph of each sentence within the file
    sentence_number: np.ndarray  # 1-based within its paragraph
    sentence_start: np.ndarray  # character offsets within the paragraph
    sentence_end: np.ndarray
    term_counts: np.ndarray  # index terms of each sentence
    evidence: KeptEvidence  # its term ids are term_ids'
    # Every sentence's terms, in order, as ids: into `terms` when just analysed, into a
    # build's vocabulary after (evidence.Interim) or when kept from an index.
    term_ids: np.ndarray
    # When just analysed: the file's distinct terms, in first-seen order. A worker sends
    # these and ids, not every term: the building process turns each string it receives
    # into an id, hashing it afresh.
    terms: list[str] = field(default_factory=list)
    # The text of the word tokens of its sentences and title, when just analysed: what
    # the archive's table of known stems is made of (kept chunks' are in that table).
    words: Collection[str] = ()


def analyse_file(text: str, source: str) -> Chunk:
    """Segment and tokenise one article's text (raises CorpusError as parse_article does)."""
    article = parse_article(text, slug="-", source=source)
    sentences = article.sentences
    columns = [token_columns(s.text) for s in sentences]
    # Filtered in C (filter, compress): a build does this for every token of an archive.
    terms = [list(filter(None, ts)) for _, ts in columns]
    every_term = list(chain.from_iterable(terms))
    distinct = list(dict.fromkeys(every_term))
    ids = {term: i for i, term in enumerate(distinct)}.__getitem__
    words = set(compress(*token_columns(article.title)))
    for texts, ts in columns:
        words.update(compress(texts, ts))
    encoded = [p.text.encode("utf-8") + b"\n" for p in article.paragraphs]
    return Chunk(
        title=article.title,
        text=b"".join(encoded),
        paragraph_bytes=np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)),
        sentence_paragraph=np.array([s.paragraph - 1 for s in sentences], dtype=np.int32),
        sentence_number=np.array([s.sentence for s in sentences], dtype=np.int32),
        sentence_start=np.array([s.start for s in sentences], dtype=np.int32),
        sentence_end=np.array([s.start + len(s.text) for s in sentences], dtype=np.int32),
        term_counts=np.fromiter(map(len, terms), dtype=np.int64, count=len(terms)),
        evidence=evidence(columns, ids),
        term_ids=_ids(map(ids, every_term)),
        terms=distinct,
        words=frozenset(words),
    )


def evidence(documents: Sequence[TokenColumns], ids: Callable[[str], int]) -> KeptEvidence:
    """One file's acronym and name evidence (see corpus.learn_acronyms for the rules), its
    terms as `ids` gives them."""
    acronyms = written_acronyms(documents)
    # Initials -> the terms of the first capitalised phrase spelling them in this file: a
    # later phrase with the same initials can never be the one an acronym takes.
    phrases: dict[str, list[str]] = {}
    for initials, terms in initialled_phrases(documents):
        phrases.setdefault(initials, terms)
    names: set[str] = set()
    for texts, terms in documents:
        # analysis.sentence_names without the places, which a build has no use for: the
        # terms of words written with a capital, but the sentence's first.
        capitals = map(str.isupper, map(_first_letter, texts[1:]))
        names.update(filter(None, compress(terms[1:], capitals)))
    return KeptEvidence(
        acronyms,
        _ids(map(ids, sorted(names))),  # sorted: ascending ids in the final vocabulary
        np.array([initials.encode("utf-8") for initials in phrases], dtype=np.bytes_),
        bounds([len(terms) for terms in phrases.values()]),
        _ids(map(ids, chain.from_iterable(phrases.values()))),
    )


# A just-analysed chunk as a worker process sends it: its strings joined, and its arrays as
# a few buffers, with each array's buffer and length. Pickled field by field, a chunk's
# dozen small arrays and few hundred strings cost 0.1 ms each way, a tenth of analysing
# the file.
Packed = tuple[str, bytes, tuple[tuple[str, int], ...], dict[str, bytes], str, str, dict[str, str]]
# The arrays of terms as ids into the chunk's own terms have a buffer of their own: the
# building process replaces them (archive._as_ids), and an array it keeps must not keep
# their memory with it (a quarter of a gigabyte over 100,000 files).
_OWN_IDS = ("term_ids", "names", "phrase_terms")


def pack(chunk: Chunk) -> Packed:
    """`chunk` (just analysed) for sending to another process: unpack gives it back, its
    words as a list."""
    arrays = _arrays(chunk)
    buffers = [_buffer(name, array) for name, array in arrays.items()]
    return (
        chunk.title,
        chunk.text,
        tuple((buffer, len(array)) for buffer, array in zip(buffers, arrays.values(), strict=True)),
        {
            buffer: b"".join(
                array.tobytes()
                for other, array in zip(buffers, arrays.values(), strict=True)
                if other == buffer
            )
            for buffer in dict.fromkeys(buffers)
        },
        # Terms and words hold no newline: they are tokens' text, or made from it.
        "\n".join(chunk.terms),
        "\n".join(chunk.words),
        chunk.evidence.acronyms,
    )


def _buffer(name: str, array: np.ndarray) -> str:
    """The name of the buffer `array` travels in: its type, and whether it is replaced."""
    return array.dtype.str + (" own ids" if name in _OWN_IDS else "")


def unpack(packed: Packed) -> Chunk:
    """The chunk `pack` sent (its arrays views of the buffers it came in)."""
    title, text, layout, buffers, terms, words, acronyms = packed
    columns = {
        name: np.frombuffer(buffer, dtype=name.split()[0]) for name, buffer in buffers.items()
    }
    taken = dict.fromkeys(columns, 0)
    arrays = {}
    for array, (name, length) in zip(_ARRAYS, layout, strict=True):
        start = taken[name]
        arrays[array] = columns[name][start : start + length]
        taken[name] = start + length
    evidence = {f: arrays.pop(f) for f in _EVIDENCE_ARRAYS}
    return Chunk(
        title,
        text,
        evidence=KeptEvidence(acronyms, **evidence),
        terms=terms.split("\n") if terms else [],
        # A list: the building process adds them to its set, and a set here would hash
        # them twice.
        words=words.split("\n") if words else [],
        **arrays,
    )


_CHUNK_ARRAYS = (
    "paragraph_bytes",
    "sentence_paragraph",
    "sentence_number",
    "sentence_start",
    "sentence_end",
    "term_counts",
    "term_ids",
)
_EVIDENCE_ARRAYS = ("names", "phrase_initials", "phrase_term_bounds", "phrase_terms")
_ARRAYS = _CHUNK_ARRAYS + _EVIDENCE_ARRAYS


def _arrays(chunk: Chunk) -> dict[str, np.ndarray]:
    """A chunk's arrays by field name, the evidence's included, in _ARRAYS order."""
    return {
        **{name: getattr(chunk, name) for name in _CHUNK_ARRAYS},
        **{name: getattr(chunk.evidence, name) for name in _EVIDENCE_ARRAYS},
    }


def _ids(ids: Iterable[int]) -> np.ndarray:
    return np.fromiter(ids, dtype=np.int32)


_first_letter = itemgetter(0)


def acronyms_json(acronyms: Mapping[str, tuple[str, ...]]) -> list[list[object]]:
    return [[term, list(long_form)] for term, long_form in acronyms.items()]


def as_ids(chunk: Chunk, interim: Interim) -> Chunk:
    """A just-analysed file's chunk with its term ids into `interim` and its words dropped
    (the caller keeps them): what every chunk of a build holds until written."""
    ids = interim.ids(chunk.terms)
    evidence = chunk.evidence
    return dataclasses.replace(
        chunk,
        terms=[],
        term_ids=ids[chunk.term_ids],
        evidence=dataclasses.replace(
            evidence, names=ids[evidence.names], phrase_terms=ids[evidence.phrase_terms]
        ),
        words=(),
    )


def kept_chunk(
    old: Archive, a: dict[str, np.ndarray], article: int, acronyms: dict[str, str]
) -> Chunk:
    """File `article` of the previous index (`a`: its arrays), as arrays sliced from it (no
    re-analysis)."""
    p0, p1 = int(a["article_paragraphs"][article]), int(a["article_paragraphs"][article + 1])
    s0, s1 = int(a["article_sentences"][article]), int(a["article_sentences"][article + 1])
    offsets = np.asarray(a["paragraph_offsets"][p0 : p1 + 1])
    bounds = np.asarray(a["token_bounds"][s0 : s1 + 1])
    return Chunk(
        title=old.articles[article].title,
        text=old.text[int(offsets[0]) : int(offsets[-1])].tobytes(),
        paragraph_bytes=np.diff(offsets),
        sentence_paragraph=np.asarray(a["sentence_paragraph"][s0:s1]) - p0,
        sentence_number=np.array(a["sentence_number"][s0:s1]),
        sentence_start=np.array(a["sentence_start"][s0:s1]),
        sentence_end=np.array(a["sentence_end"][s0:s1]),
        term_counts=np.diff(bounds),
        evidence=kept_evidence(a, acronyms, article),
        term_ids=np.array(a["token_terms"][int(bounds[0]) : int(bounds[-1])]),
    )
