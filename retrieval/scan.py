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


def _walk(folder: str, key: str, scan: Scan) -> None:
    # Path.rglob's walk: every folder, hidden ones too, without following linked folders;
    # a folder that may not be listed is skipped. Strings, the directory entries' own stat
    # calls and comprehensions, not Path objects and a loop: this is most of an archive's
    # freshness check, and its Python work per file was a third of it.
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    try:
        articles = [e for e in entries if _article_name(e.name) and not e.is_dir()]
        stats = [e.stat() for e in articles]
    except OSError:  # an entry that cannot be stat'ed: the same, one entry at a time
        articles, stats = _each_article(entries)
    scan.keys.extend([key + e.name for e in articles])
    scan.paths.extend([e.path for e in articles])
    scan.sizes.extend([s.st_size if s else -1 for s in stats])
    scan.mtimes.extend([s.st_mtime_ns if s else -1 for s in stats])
    for entry in entries:
        if _is_folder(entry) and not entry.is_symlink():
            # Path order compares part by part: NUL, in no name, sorts a part before its
            # longer namesakes ("a" + NUL < "a-b"), so one string per file sorts the same.
            _walk(entry.path, f"{key}{entry.name}\0", scan)


def _article_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _each_article(
    entries: list[os.DirEntry[str]],
) -> tuple[list[os.DirEntry[str]], list[os.stat_result | None]]:
    """The article entries and their stats (None for one that cannot be stat'ed)."""
    articles, stats = [], []
    for entry in entries:
        if not _article_name(entry.name) or _is_folder(entry):
            continue
        articles.append(entry)
        try:
            stats.append(entry.stat())
        except OSError:
            stats.append(None)
    return articles, stats


def file_scan(path: str) -> Scan:
    """The scan of one article file."""
    found = _file_stat(path)
    return Scan([""], [path], array("q", [found.size]), array("q", [found.mtime_ns]))


def folder_scan(folder: str) -> Scan:
    """The article files under `folder` as `Path.rglob` finds them (none: an empty scan)."""
    scan = Scan([], [], array("q"), array("q"))
    _walk(folder, "", scan)
    return scan


def _file_stat(path: str) -> FileStat:
    try:
        stat_result = os.stat(path)
    except OSError:
        return _new_stat(FileStat, (path, -1, -1))
    return _new_stat(FileStat, (path, stat_result.st_size, stat_result.st_mtime_ns))


_new_stat = tuple.__new__  # FileStat(...) without its Python-level __new__: 100,000 a scan
