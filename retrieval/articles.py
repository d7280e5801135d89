"""Load article files into cited sentences: Article(title, paragraphs[Sentence...])."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from .nltk_lazy import import_nltk
from .records import Article, Paragraph, Sentence

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
# Files larger than this are almost certainly not an article; refusing them early keeps a
# mistaken `--corpus /` or a log file from eating the machine's memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

# General English abbreviations that end in a period but rarely end a sentence. Punkt
# learns abbreviations from training text; we ship no trained model (nothing is downloaded),
# so it gets this list instead. Entries are lowercase without the final period.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft rev hon gen col lt sgt capt cmdr adm maj cpl pvt sen
    rep gov pres supt insp det atty u.s u.k u.n e.u d.c l.a n.y u.s.a inc corp co ltd llc
    bros dept univ assn est no nos vol vols pp ed eds fig figs approx vs etc e.g i.e cf al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun ave blvd rd hwy a.m p.m ala ariz ark calif colo conn del fla ga ill ind kan ky la md
    mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)


class CorpusError(ValueError):
    """A corpus file or folder that cannot be used; the message names the file."""


@cache
def _punkt():
    # Imported here, not at module level: nltk's import is the most expensive thing the
    # CLI does, and a warm corpus cache (or a `--help`) never needs it.
    punkt = import_nltk("nltk.tokenize.punkt")
    params = punkt.PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return punkt.PunktSentenceTokenizer(params)


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph (never crossing it)."""
    return [(start, end) for start, end in _punkt().span_tokenize(paragraph) if start < end]


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "article"


def _paragraph_texts(lines: Iterable[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _strip_markdown_heading(title: str) -> str:
    return re.sub(r"^#+\s*", "", title).strip()


def parse_article(text: str, *, slug: str, source: str, multi_article: bool = False) -> Article:
    """Parse article text: first non-empty line the title, blank lines between paragraphs."""
    blocks = _paragraph_texts(text.splitlines())
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


def read_text(path: Path) -> str:
    """The file's text, or a CorpusError that says, in one line, why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(f"{path}: too large for an article ({size:,} bytes)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file or folder") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise CorpusError(f"{path}: cannot be read ({error.strerror or error})") from None
    if b"\x00" in raw:
        raise CorpusError(f"{path}: binary data, not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty")
    return text


def article_files(path: Path) -> list[Path]:
    """The article files a corpus path stands for: the file itself, or a folder's articles."""
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if not path.is_dir():
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise CorpusError(f"{path}: the folder has no .txt or .md articles")
    return files


def _unique_slugs(files: Sequence[Path]) -> list[str]:
    slugs: list[str] = []
    for file in files:
        slug = base = slugify(file.stem)
        counter = 2
        while slug in slugs:
            slug = f"{base}-{counter}"
            counter += 1
        slugs.append(slug)
    return slugs


def load_articles(path: str | Path) -> tuple[Article, ...]:
    """Load a corpus: one article file, or every .txt/.md article under a folder."""
    files = article_files(Path(path))
    multi = len(files) > 1
    articles = tuple(
        parse_article(read_text(file), slug=slug, source=str(file), multi_article=multi)
        for file, slug in zip(files, _unique_slugs(files), strict=True)
    )
    log.info("loaded %d article(s) from %s", len(articles), path)
    return articles


def bundled_article_path() -> Path:
    """The article shipped inside the distribution (works from a non-editable install)."""
    return Path(str(resources.files("corpus").joinpath("sanctuary-cities.txt")))
