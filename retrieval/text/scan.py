"""Walking a corpus path: its article files, each with its size and modification time.

An archive's folder of 100,000 files is walked before every question answered from its
index, so this is kept lean: strings and columns, not Path objects and records."""

from __future__ import annotations

import hashlib
import os
from array import array
from dataclasses import dataclass
from typing import NamedTuple

ARTICLE_SUFFIXES = (".txt", ".md")


class FileStat(NamedTuple):
    """An article file as a folder scan finds it: its path, size and modification time
    (-1 when it cannot be stat'ed; reading it then says why)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Scan:
    """A corpus path's article files as one walk found them, in the order the file system
    listed them, as columns: a folder of 100,000 articles is walked before every question
    answered from its archive, and an unchanged folder needs only `digest` of it."""

    keys: list[str]  # what sorts the files as `sorted(Path)` would: their parts, NUL between
    paths: list[str]
    sizes: array[int]  # -1 when a file cannot be stat'ed (reading it then says why)
    mtimes: array[int]  # in ns

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def total_size(self) -> int:
        return sum(self.sizes) + self.sizes.count(-1)  # the unreadable ones count as 0

    @property
    def digest(self) -> str:
        """A fingerprint of every file's path, size and modification time in the order
        listed. Listing an unchanged folder gives the same order, so an index that records
        its build's digest is known current from one string: no sorting, no records."""
        hashed = hashlib.blake2b(digest_size=16)
        hashed.update("\0".join(self.paths).encode("utf-8", "surrogateescape"))
        hashed.update(b"\0\0")
        hashed.update(self.sizes.tobytes())
        hashed.update(self.mtimes.tobytes())
        return hashed.hexdigest()

    def files(self) -> list[FileStat]:
        """The files in `sorted(Path)` order, as records."""
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        paths, sizes, mtimes = self.paths, self.sizes, self.mtimes
        return [_new_stat(FileStat, (paths[i], sizes[i], mtimes[i])) for i in order]


Entries = list[os.DirEntry[str]]


def folder_listing(folder: str) -> tuple[list[str], Entries]:
    """The article files under `folder` as `Path.rglob` finds them, in the order listed,
    not yet stat'ed: their sort keys (see Scan.keys) and directory entries."""
    keys: list[str] = []
    entries: Entries = []
    _list(folder, "", keys, entries)
    return keys, entries


def _list(folder: str, key: str, keys: list[str], articles: Entries) -> None:
    # Path.rglob's walk: every folder, hidden ones too, without following linked folders;
    # a folder that may not be listed is skipped. Strings and comprehensions, not Path
    # objects and a loop: this is most of an archive's freshness check.
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    try:
        found = [e for e in entries if _article_name(e.name) and not e.is_dir()]
    except OSError:  # an entry whose kind takes a stat that fails: one at a time
        found = [e for e in entries if _article_name(e.name) and not _is_folder(e)]
    keys.extend([key + e.name for e in found])
    articles.extend(found)
    for entry in entries:
        if _is_folder(entry) and not entry.is_symlink():
            # Path order compares part by part: NUL, in no name, sorts a part before its
            # longer namesakes ("a" + NUL < "a-b"), so one string per file sorts the same.
            _list(entry.path, f"{key}{entry.name}\0", keys, articles)


def stat_columns(entries: Entries) -> tuple[array[int], array[int]]:
    """Each entry's size and modification time in ns (-1 and -1 when it cannot be
    stat'ed: reading it then says why)."""
    try:
        stats: list[os.stat_result | None] = [e.stat() for e in entries]
    except OSError:
        stats = [_stat_or_none(e) for e in entries]
    sizes = array("q", [s.st_size if s else -1 for s in stats])
    return sizes, array("q", [s.st_mtime_ns if s else -1 for s in stats])


def _stat_or_none(entry: os.DirEntry[str]) -> os.stat_result | None:
    try:
        return entry.stat()
    except OSError:
        return None


def _article_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def file_scan(path: str) -> Scan:
    """The scan of one article file."""
    found = _file_stat(path)
    return Scan([""], [path], array("q", [found.size]), array("q", [found.mtime_ns]))


def folder_scan(folder: str) -> Scan:
    """The article files under `folder` as `Path.rglob` finds them (none: an empty scan)."""
    keys, entries = folder_listing(folder)
    return Scan(keys, [e.path for e in entries], *stat_columns(entries))


def _file_stat(path: str) -> FileStat:
    try:
        stat_result = os.stat(path)
    except OSError:
        return _new_stat(FileStat, (path, -1, -1))
    return _new_stat(FileStat, (path, stat_result.st_size, stat_result.st_mtime_ns))


_new_stat = tuple.__new__  # FileStat(...) without its Python-level __new__: 100,000 a scan
