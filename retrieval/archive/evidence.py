"""Files' acronym and name evidence as an archive stores it: columns of term ids, so that a
refresh carries unchanged files' evidence over by slicing arrays, and merging it into the
corpus's acronyms and names touches only the phrases whose initials some acronym spells.

Stored as JSON objects per file, the evidence of a 100k-sentence archive was 12 MB that
every refresh parsed and wrote again (about half of its time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

EVIDENCE_ARRAYS = (
    "name_bounds",  # int64 [A+1]: each file's slice of name_terms
    "name_terms",  # int32: terms the file writes as names, ascending
    "phrase_bounds",  # int64 [A+1]: each file's slice of the phrase rows
    "phrase_initials",  # bytes [R]: a capitalised phrase's initials (UTF-8), first per file
    "phrase_term_bounds",  # int64 [R+1]: each phrase's slice of phrase_terms
    "phrase_terms",  # int32: the phrases' terms
)


@dataclass(frozen=True, slots=True)
class KeptEvidence:
    """One file's evidence as arrays: terms as ids into the previous index's vocabulary
    (sliced from it), into a build's Interim terms, or into the file's own terms (just
    analysed: files.Chunk)."""

    # Folded all-capitals word -> its term: first-seen order, last value (as a dict
    # comprehension over the corpus makes it).
    acronyms: dict[str, str]
    names: np.ndarray
    phrase_initials: np.ndarray
    phrase_term_bounds: np.ndarray  # from 0
    phrase_terms: np.ndarray


class Interim:
    """A build's terms in first-seen order, the previous index's vocabulary first: every
    file's terms become ids into it as soon as the file is analysed, so that a build of a
    million sentences holds arrays, not tens of millions of references to strings (and the
    strings a worker process sends back, one copy per batch)."""

    def __init__(self, terms: Sequence[str]):
        self.terms = list(terms)
        self._ids = {term: i for i, term in enumerate(self.terms)}

    def ids(self, terms: Iterable[str]) -> np.ndarray:
        terms = terms if isinstance(terms, list) else list(terms)
        # Looked up in C (map over dict.get): a build turns millions of terms into ids, and
        # a Python call for each was most of the building process's own work.
        found = list(map(self._ids.get, terms))
        if None in found:  # terms new to the build: given ids in the order first seen
            found = [i if i is not None else self._id(t) for i, t in zip(found, terms, strict=True)]
        return np.array(found, dtype=np.int32)

    def _id(self, term: str) -> int:
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = len(self.terms)
            self.terms.append(term)
        return found


def kept_evidence(
    arrays: Mapping[str, np.ndarray], acronyms: dict[str, str], file: int
) -> KeptEvidence:
    """File `file`'s evidence in the arrays of an index (see EVIDENCE_ARRAYS)."""
    n0, n1 = arrays["name_bounds"][file : file + 2].tolist()
    r0, r1 = arrays["phrase_bounds"][file : file + 2].tolist()
    rows = np.asarray(arrays["phrase_term_bounds"][r0 : r1 + 1])
    return KeptEvidence(
        acronyms,
        np.asarray(arrays["name_terms"][n0:n1]),
        np.asarray(arrays["phrase_initials"][r0:r1]),
        rows - rows[0],
        np.asarray(arrays["phrase_terms"][int(rows[0]) : int(rows[-1])]),
    )


def write_evidence(
    evidence: Sequence[KeptEvidence],
    vocabulary: Sequence[str],
    old_to_new: np.ndarray,
    arrays: dict[str, np.ndarray],
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The evidence columns over the final sorted `vocabulary` (files' ids are mapped to it
    by `old_to_new`), and the corpus's acronyms and names merged from them in file order:
    equal, order included, to learn_acronyms and the names over all the files' sentences."""
    # Joined first, then mapped: one numpy call for all files, not one a file.
    arrays["name_bounds"] = bounds([len(e.names) for e in evidence])
    arrays["name_terms"] = _mapped(old_to_new, [e.names for e in evidence])
    arrays["phrase_bounds"] = bounds([len(e.phrase_initials) for e in evidence])
    initials = [e.phrase_initials for e in evidence]
    joined = np.concatenate(initials) if initials else np.empty(0, dtype="S1")
    # As wide as the longest initials written: kept rows may come wider than any now left.
    width = max(1, int(np.char.str_len(joined).max())) if len(joined) else 1
    arrays["phrase_initials"] = joined.astype(f"S{width}")
    arrays["phrase_term_bounds"] = _rebased([e.phrase_term_bounds for e in evidence])
    arrays["phrase_terms"] = _mapped(old_to_new, [e.phrase_terms for e in evidence])
    acronyms = _merged_acronyms([e.acronyms for e in evidence], vocabulary, arrays)
    merged_names = [vocabulary[i] for i in np.unique(arrays["name_terms"]).tolist()]
    return acronyms, merged_names


def _merged_acronyms(
    files: Sequence[dict[str, str]], vocabulary: Sequence[str], arrays: dict[str, np.ndarray]
) -> dict[str, tuple[str, ...]]:
    """Each acronym any file writes (the last file's term for it) -> the terms of the first
    phrase, in file order, whose initials spell it (see corpus.learn_acronyms)."""
    acronyms: dict[str, str] = {}
    for file in files:
        acronyms.update(file)
    found: dict[str, tuple[str, ...]] = {}
    initials = arrays["phrase_initials"]
    keys = [k.encode("utf-8") for k in acronyms]
    keys = [k for k in keys if len(k) <= initials.dtype.itemsize]  # longer: no phrase has it
    if not keys or not len(initials):
        return found
    bounds, terms = arrays["phrase_term_bounds"], arrays["phrase_terms"]
    for row in np.flatnonzero(np.isin(initials, np.array(keys, dtype=initials.dtype))).tolist():
        term = acronyms[bytes(initials[row]).decode("utf-8")]
        if term not in found:
            ids = terms[int(bounds[row]) : int(bounds[row + 1])].tolist()
            found[term] = tuple(vocabulary[i] for i in ids)
    return found


def bounds(lengths: Sequence[int]) -> np.ndarray:
    bounds = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    return bounds


def _mapped(old_to_new: np.ndarray, parts: list[np.ndarray]) -> np.ndarray:
    """`parts` joined, each id mapped by `old_to_new`, as int32."""
    joined = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    return old_to_new[joined].astype(np.int32)


def _rebased(parts: list[np.ndarray]) -> np.ndarray:
    """Files' bounds, each from 0, as one array of bounds from 0 (int64)."""
    if not parts:
        return np.zeros(1, dtype=np.int64)
    steps = np.diff(np.concatenate(parts))
    # The steps from one file's last bound to the next file's first (0) are no rows'.
    seams = np.cumsum([len(p) for p in parts])[:-1] - 1
    return np.concatenate(([0], np.cumsum(np.delete(steps, seams)))).astype(np.int64)
