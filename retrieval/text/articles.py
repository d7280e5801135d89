"""Load article files into cited sentences: Article(title, paragraphs[Sentence...])."""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..records import Article, Paragraph, Sentence
from .markdown import plain_text
from .scan import ARTICLE_SUFFIXES as ARTICLE_SUFFIXES  # where it was first defined
from .scan import FileStat, Scan, file_scan, folder_scan
from .sentence_split import split_sentences

log = logging.getLogger(__name__)

# Files larger than this are almost certainly not an article; refusing them early keeps a
# mistaken `--corpus /` or a log file from eating the machine's memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


class CorpusError(ValueError):
    """A corpus file or folder that cannot be used; the message names the file."""


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "article"


# Whitespace that may be collapsed: every Unicode space (str.isspace) except the information
# separators U+001C-U+001F, which str.split() and str.strip() also treat as spaces but which
# are text as written ("Bob\x1c." must not become "Bob ."). A test checks the list.
SPACES = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # only real line ends: splitlines() also splits on \x1c


def _paragraph_texts(lines: Iterable[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        line = line.strip(SPACES)
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _strip_markdown_heading(title: str) -> str:
    return re.sub(r"^#+\s*", "", title).strip()


def parse_article(
    text: str, *, slug: str, source: str, multi_article: bool = False, markdown: bool = False
) -> Article:
    """Parse article text: first non-empty line the title, blank lines between paragraphs.

    With `markdown`, heading marks and emphasis are removed first (see markdown.plain_text),
    so answers quote the words, and citations count the paragraphs a reader sees.
    """
    if markdown:
        text = plain_text(text)
    blocks = _paragraph_texts(_LINE_BREAK.split(text))
    if not blocks:
        raise CorpusError(f"{source}: the file is empty")
    title, *bodies = blocks
    if not bodies:
        raise CorpusError(f"{source}: no paragraphs after the title")
    paragraphs = []
    for number, body in enumerate(bodies, start=1):
        sentences = tuple(
            Sentence(slug, number, index, body[start:end], start, multi_article)
            for index, (start, end) in enumerate(split_sentences(body), start=1)
        )
        paragraphs.append(Paragraph(number, body, sentences))
    return Article(slug, _strip_markdown_heading(title), tuple(paragraphs), source)


def corpus_path(path: str | Path) -> Path:
    """`path` as a Path; an empty string (an unset shell variable) is refused, not read as
    the current folder, which Path("") would silently be."""
    if isinstance(path, str) and not path.strip():
        raise CorpusError("an empty corpus path: give an article file or a folder of articles")
    return Path(path)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _missing(path: Path) -> CorpusError:
    """Why `path` cannot be found: a symbolic link loop or a dangling link says so."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return CorpusError(f"{path}: a symbolic link loop (it links back to itself)")
        if path.is_symlink():
            return CorpusError(f"{path}: a symbolic link to nothing ({os.readlink(path)})")
    return CorpusError(f"{path}: no such file or folder")


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES, or a CorpusError saying why not.

    Opened without blocking and checked to be a regular file on the open descriptor: a
    FIFO would block the open and the read forever, and a device (/dev/zero) reports size 0
    and never ends. The read stops one byte past the limit whatever st_size says.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _missing(Path(path)) from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _missing(Path(path)) from None
        raise CorpusError(f"{path}: cannot be read ({error.strerror or error})") from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise CorpusError(f"{path}: is a folder, not a file")
            if not stat.S_ISREG(mode):
                raise CorpusError(f"{path}: {_kind(mode)}, not an article file")
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES:
                chunk = handle.read(min(1 << 20, MAX_FILE_BYTES + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as error:
            raise CorpusError(f"{path}: cannot be read ({error.strerror or error})") from None
    if size > MAX_FILE_BYTES:
        raise CorpusError(f"{path}: too large for an article (over {MAX_FILE_BYTES:,} bytes)")
    return b"".join(chunks)


def decode(path: str | Path, raw: bytes) -> str:
    """The text of a file's bytes, or a CorpusError saying, in one line, why it is no article."""
    if b"\x00" in raw:
        raise CorpusError(f"{path}: binary data, not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty")
    return text


def read_text(path: Path) -> str:
    """The file's text, or a CorpusError that says, in one line, why it cannot be used."""
    return decode(path, read_bytes(path))


def article_files(path: Path) -> list[Path]:
    """The article files a corpus path stands for: the file itself, or a folder's articles."""
    return [Path(f.path) for f in article_stats(path)]


def article_stats(path: Path) -> list[FileStat]:
    """`article_files` with each file's size and modification time, from one walk."""
    return scan_articles(path).files()


def scan_articles(path: Path) -> Scan:
    """The article files `path` stands for (the file itself, or a folder's articles, as
    `Path.rglob` would find them), each with its size and modification time, from one walk.
    Raises CorpusError for a missing path or a folder without articles."""
    if not path.exists():
        raise _missing(path)
    if not path.is_dir():
        return file_scan(str(path))
    scan = folder_scan(str(path))
    if not scan.paths:
        raise CorpusError(f"{path}: the folder has no .txt or .md articles")
    return scan


@dataclass(frozen=True, slots=True)
class Source:
    """One article file's bytes, read once: hashed for the cache, parsed on a miss."""

    path: Path
    raw: bytes


def read_sources(path: str | Path, strict: bool = False) -> list[Source]:
    """The bytes of every article a corpus path stands for.

    In a folder, a file that cannot be read (no permission, a device, a broken link) is
    skipped with a warning naming it, and the rest are used: one bad file should not take
    the whole archive down (with `strict`, it is an error). A lone file that cannot be
    read is an error.
    """
    root = corpus_path(path)
    files = article_files(root)
    if not root.is_dir():
        return [Source(files[0], read_bytes(files[0]))]
    sources = []
    for file in files:
        try:
            sources.append(Source(file, read_bytes(file)))
        except CorpusError as error:
            if strict:
                raise
            log.warning("skipped %s", error)
    if not sources:
        raise CorpusError(f"{root}: none of its {len(files)} article files can be read")
    return sources


def _unique_slugs(files: Sequence[Path]) -> list[str]:
    slugs: list[str] = []
    taken: set[str] = set()  # a list's `in` made 100,000 files take minutes
    for file in files:
        slug = base = slugify(file.stem)
        counter = 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        slugs.append(slug)
        taken.add(slug)
    return slugs


def parse_sources(sources: Sequence[Source], strict: bool = False) -> tuple[Article, ...]:
    """The articles of files already read. In a folder, a file that is not an article
    (empty, binary, not UTF-8, a title alone) is skipped with a warning naming it, as an
    unreadable one is, and keeps its slug, so the others' citations do not move when it is
    fixed; a lone file, a folder of nothing else, or with `strict` any such file, is an
    error."""
    if len(sources) == 1:
        return (_parse(sources[0], slugify(sources[0].path.stem), multi=False),)
    slugs = _unique_slugs([s.path for s in sources])
    if strict:
        return tuple(_parse(s, slug, multi=True) for s, slug in zip(sources, slugs, strict=True))
    articles = tuple(
        article
        for source, slug in zip(sources, slugs, strict=True)
        if (article := article_or_warning(source, slug)) is not None
    )
    if not articles:
        folder = os.path.commonpath([s.path.parent for s in sources])
        raise CorpusError(f"{folder}: none of its {len(sources)} files is an article")
    return articles


def article_or_warning(source: Source, slug: str = "") -> Article | None:
    """A folder's file as an article, or None once a warning says why it is not one."""
    try:
        return _parse(source, slug, multi=True)
    except CorpusError as error:
        log.warning("skipped %s", error)
        return None


def _parse(source: Source, slug: str, multi: bool) -> Article:
    return parse_article(
        decode(source.path, source.raw),
        slug=slug,
        source=str(source.path),
        multi_article=multi,
        markdown=source.path.suffix.lower() == ".md",
    )


def load_articles(path: str | Path, strict: bool = False) -> tuple[Article, ...]:
    """Load a corpus: one article file, or every .txt/.md article under a folder."""
    articles = parse_sources(read_sources(path, strict), strict)
    log.info("loaded %d article(s) from %s", len(articles), path)
    return articles


def bundled_article_path() -> Path:
    """The article shipped inside the distribution (works from a non-editable install)."""
    return Path(str(resources.files("corpus").joinpath("sanctuary-cities.txt")))
