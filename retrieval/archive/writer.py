"""Writing one generation of an archive (files' chunks in, the arrays and records on disk),
and making it the one CURRENT names.

A full build and a refresh both come through here with the same chunks in the same order,
so a refresh equals a full rebuild by construction (and a test checks it, array by array).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..ranking.index import K1, B, bm25_impacts, lucene_idf
from ..text import lexicon
from ..text.analysis import word_stems
from ..text.articles import _unique_slugs
from .evidence import write_evidence
from .files import Chunk, acronyms_json
from .layout import ARTICLES, CURRENT, article_records_bytes

# Words longer than this (in UTF-8) are left out of the table of known stems: the stemmer
# takes them, and the table's fixed-width rows stay short.
STEM_WORD_BYTES = 32


# Runs a pure function of picklable arguments in another process, or in this one when the
# result is asked for: what it returns gives the result when called. A build hands a worker,
# idle once the files are analysed, the parts of writing that need nothing else
# (archive._runner).
Run = Callable[..., Callable[[], Any]]


def write_generation(
    directory: Path,
    meta: dict[str, object],
    files: Sequence[Path],
    chunks: Sequence[Chunk],
    interim_terms: Sequence[str],
    stems: tuple[Mapping[str, str], Iterable[str]],
    run: Run,
) -> None:
    """Write the index of `chunks` (one per file, in file order) into `directory`. Their
    `term_ids` and evidence refer to `interim_terms` (evidence.Interim); `stems`:
    the previous index's known stems, which cover the kept chunks' words, and the words of
    the files just analysed. `run` makes the stem table and the postings."""
    stem_arrays = run(stem_table, *stems)
    arrays: dict[str, np.ndarray] = {}
    vocabulary, old_to_new, token_terms, lengths = _vocabulary(chunks, interim_terms)
    arrays["token_terms"] = token_terms
    posting_arrays = run(postings, token_terms, lengths, len(vocabulary))
    _write_text(directory, chunks, arrays)
    _layout(chunks, arrays)
    encoded = [t.encode("utf-8") for t in vocabulary]
    # Term i is terms.txt[offsets[i] : offsets[i + 1] - 1]: one newline after each term.
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(t) + 1 for t in encoded], out=offsets[1:])
    arrays["term_offsets"] = offsets
    (directory / "terms.txt").write_bytes(b"\n".join(encoded))
    evidence = [c.evidence for c in chunks]
    acronyms, names = write_evidence(evidence, vocabulary, old_to_new, arrays)  # type: ignore[arg-type]
    slugs = _unique_slugs(files)
    records = article_records_bytes(
        (slug, c.title, str(f)) for slug, c, f in zip(slugs, chunks, files, strict=True)
    )
    (directory / ARTICLES).write_bytes(b"".join(records))
    arrays["article_offsets"] = np.concatenate(([0], np.cumsum([len(r) for r in records])))
    arrays["slug_order"] = np.array(sorted(range(len(slugs)), key=slugs.__getitem__), np.int32)
    arrays.update(posting_arrays())
    arrays.update(stem_arrays())
    for name, values in arrays.items():
        np.save(directory / f"{name}.npy", values, allow_pickle=False)
    meta = {
        **meta,
        "sentences": len(arrays["sentence_paragraph"]),
        "multi_article": len(files) > 1,
        "acronyms": acronyms_json(acronyms),
        "names": names,
    }
    write_json(directory / "meta.json", meta)
    # Each file's all-capitals words (few): the rest of its evidence is in the arrays.
    write_json(directory / "acronyms.json", [list(e.acronyms.items()) for e in evidence])


def _write_text(directory: Path, chunks: Sequence[Chunk], arrays: dict[str, np.ndarray]) -> None:
    with (directory / "text.txt").open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk.text)
    lengths = np.concatenate([c.paragraph_bytes for c in chunks]).astype(np.int64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    arrays["paragraph_offsets"] = offsets


def _layout(chunks: Sequence[Chunk], arrays: dict[str, np.ndarray]) -> None:
    paragraphs = np.array([len(c.paragraph_bytes) for c in chunks], dtype=np.int64)
    sentences = np.array([len(c.term_counts) for c in chunks], dtype=np.int64)
    first_paragraph = np.concatenate(([0], np.cumsum(paragraphs)))
    arrays["article_paragraphs"] = first_paragraph
    arrays["article_sentences"] = np.concatenate(([0], np.cumsum(sentences)))
    articles = np.arange(len(chunks), dtype=np.int32)
    arrays["paragraph_article"] = np.repeat(articles, paragraphs)
    arrays["paragraph_number"] = (
        np.arange(int(first_paragraph[-1]), dtype=np.int64)
        - np.repeat(first_paragraph[:-1], paragraphs)
        + 1
    ).astype(np.int32)
    arrays["sentence_paragraph"] = (
        np.concatenate([c.sentence_paragraph for c in chunks])
        + np.repeat(first_paragraph[:-1], sentences)
    ).astype(np.int32)
    for name in ("sentence_number", "sentence_start", "sentence_end"):
        arrays[name] = np.concatenate([getattr(c, name) for c in chunks]).astype(np.int32)


def _vocabulary(
    chunks: Sequence[Chunk], interim_terms: Sequence[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The sorted vocabulary of the terms in use, each interim term's id in it (-1: in no
    file now), every token's term id in it (int32) and every sentence's token count."""
    vocabulary = sorted(interim_terms)
    position = {term: i for i, term in enumerate(vocabulary)}
    old_to_new = np.fromiter(
        map(position.__getitem__, interim_terms), dtype=np.int64, count=len(interim_terms)
    )
    ids = [c.term_ids for c in chunks]
    token_terms = old_to_new[np.concatenate(ids)] if ids else np.empty(0, dtype=np.int64)
    lengths = np.concatenate([c.term_counts for c in chunks]).astype(np.int64)
    # Terms only deleted or changed files had: gone, as from a full build.
    used = np.bincount(token_terms, minlength=len(vocabulary)) > 0
    if not used.all():
        renumber = np.where(used, np.cumsum(used) - 1, -1)
        token_terms, old_to_new = renumber[token_terms], renumber[old_to_new]
        vocabulary = [t for t, u in zip(vocabulary, used.tolist(), strict=True) if u]
    return vocabulary, old_to_new, token_terms.astype(np.int32), lengths


def postings(token_terms: np.ndarray, lengths: np.ndarray, terms: int) -> dict[str, np.ndarray]:
    """Token bounds, postings and IDF of sentences whose tokens are `token_terms` (each of
    the `terms` ids in use), `lengths` tokens each."""
    n, total = len(lengths), int(lengths.sum())
    docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # One key per (term, sentence), as BM25Index builds them: postings grouped by term,
    # sentences ascending, repeats counted as the term's frequency.
    keys, tf = np.unique(token_terms.astype(np.int64) * max(n, 1) + docs, return_counts=True)
    posting_terms = keys // max(n, 1)
    docs = keys - posting_terms * max(n, 1)
    df = np.bincount(posting_terms, minlength=terms)
    bounds = np.zeros(terms + 1, dtype=np.int64)
    np.cumsum(df, out=bounds[1:])
    # Python's math.log per term, as BM25Index does: numpy's log may differ in the last bit.
    idf = np.array([lucene_idf(n, f) for f in df.tolist()], dtype=np.float64)
    impacts = (
        bm25_impacts(np.repeat(idf, df), tf, lengths[docs], total / n, K1, B)
        if total
        else np.empty(0, dtype=np.float64)
    )
    return {
        "token_bounds": np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        "idf": idf,
        "posting_bounds": bounds,
        "posting_docs": docs.astype(np.int32),
        "posting_impacts": impacts.astype(np.float64),
    }


def stem_table(old_stems: Mapping[str, str], words: Iterable[str]) -> dict[str, np.ndarray]:
    """The stems of the words answering reads (sentences, titles, the synonym groups), as
    two sorted fixed-width byte-string arrays. A refresh keeps the old entries: a word of a
    deleted file stems as before, so this cache only grows, and answers stay those of a
    full rebuild."""
    groups = (w for group in lexicon.SYNONYM_GROUPS for w in group.split())
    table = {**old_stems, **word_stems(itertools.chain(words, groups))}
    encoded = sorted(
        (word.encode("utf-8"), found.encode("utf-8"))
        for word, found in table.items()
        if len(word.encode("utf-8")) <= STEM_WORD_BYTES
        and len(found.encode("utf-8")) <= STEM_WORD_BYTES
    )
    return {
        "stem_words": np.array([w for w, _ in encoded], dtype=f"S{STEM_WORD_BYTES}"),
        "stem_stems": np.array([s for _, s in encoded], dtype=f"S{STEM_WORD_BYTES}"),
    }


def write_json(path: Path, value: object) -> None:
    # dumps, not dump: dump writes each of a large list's many pieces separately, which
    # took 40% of writing a 100k-sentence archive. ASCII escapes carry a file name that is
    # not UTF-8 (its surrogates) through intact.
    path.write_text(json.dumps(value, separators=(",", ":")), encoding="ascii")


def point_to(index_dir: Path, generation: str) -> None:
    """Make `generation` the one CURRENT names, and remove the older ones but the one it
    replaces."""
    fd, temporary = tempfile.mkstemp(dir=index_dir, prefix=".current-")
    with os.fdopen(fd, "w") as handle:
        handle.write(generation)
    previous = current_name(index_dir)
    os.replace(temporary, index_dir / CURRENT)
    # Older generations go but the one just replaced: a process that read CURRENT a moment
    # ago may be opening it. A process answering from an older one keeps its mapped files
    # (POSIX).
    for other in index_dir.glob("gen-*"):
        if other.name not in (generation, previous):
            shutil.rmtree(other, ignore_errors=True)


def current_name(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text().strip()
    except OSError:
        return None
