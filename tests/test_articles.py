from __future__ import annotations

import itertools
import logging
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.text import articles, sentence_split
from retrieval.text.articles import CorpusError, bundled_article_path, load_articles, parse_article
from retrieval.text.nltk_lazy import import_nltk
from retrieval.text.sentence_split import split_sentences


@pytest.fixture(scope="module")
def article():
    (only,) = load_articles(bundled_article_path())
    return only


def test_title_and_dek(article):
    assert article.title.startswith("Jeff Sessions Threatens to Starve Sanctuary Cities")
    assert article.dek.startswith("Trump's attorney general delivered a message")
    assert article.slug == "sanctuary-cities"
    assert len(article.paragraphs) == 12
    assert len(article.sentences) == 26


def test_abbreviations_stay_inside_their_sentence(article):
    texts = [s.text for s in article.sentences]
    assert any("8 U.S. Code 1373, to be precise" in t for t in texts)
    rep = next(s for s in article.sentences if "State Rep. Eddie Rodriguez" in s.text)
    assert rep.citation == "¶10.4"
    assert rep.text.endswith("significant pressure on Hernandez.")


def test_curly_quotes_close_their_sentence(article):
    p4 = article.paragraphs[3]
    assert [s.text for s in p4.sentences] == [
        p4.sentences[0].text,
        "“Such policies make their cities and states less safe.",
        "Public safety as well as national security are at stake.”",
    ]
    assert p4.sentences[0].text.endswith("Sessions said.")


def test_em_dashes_do_not_split(article):
    assert article.sentences[1].citation == "¶2.1"
    assert article.sentences[1].text.startswith("Immigration and Customs Enforcement––the federal")
    assert article.sentences[1].text.endswith("a little more powerful.")


def test_sentences_never_cross_paragraphs(article):
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            assert sentence.paragraph == paragraph.number
            start = sentence.start
            assert paragraph.text[start : start + len(sentence.text)] == sentence.text


def test_citations_are_stable_and_unique(article):
    again = load_articles(bundled_article_path())[0]
    cited = {s.citation: s.text for s in article.sentences}
    assert cited == {s.citation: s.text for s in again.sentences}
    assert len(cited) == len(article.sentences)
    assert cited["¶10.2"].startswith("Travis County, Texas")
    assert cited["¶8.1"].startswith("“Few, if any, localities")


def test_folder_of_articles_cites_with_slug(tmp_path: Path):
    (tmp_path / "one.txt").write_text("One\n\nFirst para. Second sentence.\n", encoding="utf-8")
    (tmp_path / "two.md").write_text("# Two\n\nOther para.\n\nThird.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    one, two = load_articles(tmp_path)
    assert [s.citation for s in one.sentences] == ["one¶1.1", "one¶1.2"]
    assert two.title == "Two"
    assert [s.citation for s in two.sentences] == ["two¶1.1", "two¶2.1"]


def _error(path: Path) -> str:
    with pytest.raises(CorpusError) as caught:
        load_articles(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path: Path):
    assert _error(tmp_path / "nope.txt") == f"{tmp_path / 'nope.txt'}: no such file or folder"


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n ", encoding="utf-8")
    assert _error(path) == f"{path}: the file is empty"


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\n\nCaf\xe9 cr\xe8me.\n".encode("latin-1"))
    assert _error(path).startswith(f"{path}: not UTF-8 text")


def test_binary(tmp_path: Path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert _error(path) == f"{path}: binary data, not a text article"


def test_title_only(tmp_path: Path):
    path = tmp_path / "title.txt"
    path.write_text("Just a title\n", encoding="utf-8")
    assert _error(path) == f"{path}: no paragraphs after the title"


def test_folder_without_articles(tmp_path: Path):
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    assert _error(tmp_path) == f"{tmp_path}: the folder has no .txt or .md articles"


def test_files_that_are_not_articles_are_skipped_by_name_and_the_rest_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Good\n\nFine text.\n", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9\n\nCaf\xe9 text.\n".encode("latin-1"))
    (tmp_path / "title.txt").write_text("Only a title\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="retrieval.text.articles"):
        [good] = load_articles(tmp_path)
    assert [s.citation for s in good.sentences] == ["good¶1.1"]
    assert [r.getMessage() for r in caplog.records] == [
        f"skipped {tmp_path / 'bad.txt'}: binary data, not a text article",
        f"skipped {tmp_path / 'empty.txt'}: the file is empty",
        f"skipped {tmp_path / 'latin.txt'}: not UTF-8 text (bad byte at offset 3)",
        f"skipped {tmp_path / 'title.txt'}: no paragraphs after the title",
    ]


def test_a_folder_of_nothing_but_bad_files_is_an_error(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "title.txt").write_text("Only a title\n", encoding="utf-8")
    assert _error(tmp_path) == f"{tmp_path}: none of its 2 files is an article"


def test_a_skipped_file_keeps_its_slug_so_the_others_citations_stay(tmp_path: Path):
    (tmp_path / "a.md").write_text("", encoding="utf-8")  # first in order: slug "a"
    (tmp_path / "a.txt").write_text("A\n\nText.\n", encoding="utf-8")
    [second] = load_articles(tmp_path)
    assert second.slug == "a-2"


@given(st.text(max_size=400))
def test_segmentation_covers_the_paragraph(text: str):
    spans = split_sentences(text)
    for (start, end), (next_start, _) in itertools.pairwise(spans):
        assert start < end <= next_start
    for start, end in spans:
        assert 0 <= start < end <= len(text)


@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_cleanly(text: str):
    try:
        article = parse_article(text, slug="x", source="x.txt")
    except CorpusError as error:
        assert str(error).startswith("x.txt: ")
    else:
        for paragraph in article.paragraphs:
            for sentence in paragraph.sentences:
                assert paragraph.text[sentence.start :].startswith(sentence.text)


# --- Hostile files (issue 15) -----------------------------------------------------------------


def test_a_device_is_refused_without_reading_it():
    # /dev/zero reports size 0 and never ends: reading it ran the machine out of memory.
    assert _error(Path("/dev/zero")) == "/dev/zero: a device, not an article file"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _error(fifo) == f"{fifo}: a named pipe, not an article file"


def test_reading_stops_one_byte_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(articles, "MAX_FILE_BYTES", 16)
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "word " * 100, encoding="utf-8")
    assert _error(path) == f"{path}: too large for an article (over 16 bytes)"


def test_an_empty_corpus_path_is_refused():
    # An unset shell variable ($CORPUS) must not silently mean the current folder.
    assert _error("") == "an empty corpus path: give an article file or a folder of articles"  # type: ignore[arg-type]


def test_a_symlink_loop_says_so(tmp_path: Path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert _error(loop) == f"{loop}: a symbolic link loop (it links back to itself)"


def test_an_unreadable_file_in_a_folder_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    (tmp_path / "good.txt").write_text("Good\n\nFine text.\n", encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text("Locked\n\nSecret text.\n", encoding="utf-8")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    real_open = os.open

    def deny(path: object, *args: object) -> int:
        # Tests run as root too, where chmod 000 still reads: refuse the open itself.
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(articles.os, "open", deny)
    (good,) = load_articles(tmp_path)
    assert [s.citation for s in good.sentences] == ["¶1.1"]  # the only article: no slug
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        f"skipped {tmp_path / 'dangling.md'}: a symbolic link to nothing ({tmp_path / 'gone.md'})",
        f"skipped {locked}: cannot be read (Permission denied)",
    ]


def test_a_folder_of_only_unreadable_files_is_refused(tmp_path: Path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert _error(tmp_path) == f"{tmp_path}: none of its 1 article files can be read"


def test_markdown_marks_are_removed_and_headings_break_paragraphs(tmp_path: Path):
    path = tmp_path / "story.md"
    path.write_text(
        "# The *Title*\n\nThe **dek** here.\n## Background\nSome _emphasis_, a snake_case "
        "name and 5 * 3 * 2.\n",
        encoding="utf-8",
    )
    (article,) = load_articles(path)
    assert article.title == "The Title"
    assert [p.text for p in article.paragraphs] == [
        "The dek here.",
        "Background",
        "Some emphasis, a snake_case name and 5 * 3 * 2.",
    ]
    assert [s.citation for s in article.sentences] == ["¶1.1", "¶2.1", "¶3.1"]


def test_a_txt_file_keeps_its_asterisks(tmp_path: Path):
    path = tmp_path / "story.txt"
    path.write_text("Title\n\nA *starred* word.\n", encoding="utf-8")
    (article,) = load_articles(path)
    assert article.paragraphs[0].text == "A *starred* word."


@pytest.mark.parametrize("separator", ["\x1c", "\x1d", "\x1e", "\x1f"])
def test_information_separators_stay_as_written(separator: str):
    # str.splitlines() and str.strip() treat these as breaks and spaces: "Bob\x1c." became
    # "Bob ." in answers.
    article = parse_article(f"Title\n\nBob{separator}. Then more.\n", slug="x", source="x")
    assert article.sentences[0].text.startswith(f"Bob{separator}.")


def test_the_spaces_trimmed_are_every_space_but_the_information_separators():
    every = (chr(c) for c in range(sys.maxunicode + 1))
    assert (
        "".join(c for c in every if c.isspace() and c not in "\x1c\x1d\x1e\x1f") == articles.SPACES
    )
    article = parse_article("Title\n\n\x1c Bob. \u3000\n", slug="x", source="x")
    assert article.paragraphs[0].text == "\x1c Bob."


def test_whitespace_is_still_collapsed_between_lines():
    text = "Title\n\n  One line\u00a0\r\n\tand the next.  \n"
    article = parse_article(text, slug="x", source="x")
    assert article.paragraphs[0].text == "One line and the next."


@given(st.text(alphabet=st.sampled_from("ab #*_\n\x1c"), max_size=200))
def test_any_markdown_parses_or_is_refused_cleanly(text: str):
    try:
        article = parse_article(text, slug="x", source="x.md", markdown=True)
    except CorpusError as error:
        assert str(error).startswith("x.md: ")
    else:
        for paragraph in article.paragraphs:
            for sentence in paragraph.sentences:
                assert paragraph.text[sentence.start :].startswith(sentence.text)


def test_a_folder_scan_finds_what_rglob_finds_in_path_order(tmp_path: Path):
    root = tmp_path / "archive"
    names = [
        "a/x.txt", "a-b/x.txt", "a.txt", "B.MD", "b/c/d.md", ".hidden/in.txt", "a/.skip.txt",
        "a/notes.rst", "z.Txt", "dir.txt/inner.txt",
    ]  # fmt: skip
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("T\n\nText.\n", encoding="utf-8")
    (root / "linked").symlink_to(root / "b", target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    expected = sorted(
        p
        for p in root.rglob("*")
        if p.suffix.lower() in (".txt", ".md") and not p.name.startswith(".") and not p.is_dir()
    )
    stats = articles.article_stats(root)
    assert [Path(s.path) for s in stats] == expected == articles.article_files(root)
    assert [Path(s.path).relative_to(root).as_posix() for s in stats][:3] == [
        ".hidden/in.txt",
        "B.MD",
        "a/x.txt",
    ]
    by_name = {Path(s.path).name: s for s in stats}
    assert by_name["dangling.txt"].size == -1
    assert by_name["a.txt"].size == len("T\n\nText.\n")


_PROSE_WORDS = (
    'He said Mr. Smith U.S. left at 5 p.m. The end. Dr. Why? No! J. Bach (1990). "Yes." it'
    " ... St. Louis 1990. -5. 3.5 a. x. U.S.A. ex-Gov. e.g. Co. 50%. it. ; : , ?! !! --"
    " . . . “Yes.” «Non.» (Sent1.) Sent2. ) ] ' \" İstanbul ǅ. élan Ü. 2. 1st. ΑΣ."
).split()
_PROSE = st.lists(
    st.tuples(st.sampled_from(_PROSE_WORDS), st.sampled_from([" ", " ", "", "  ", "\n", "\t"])),
    max_size=30,
).map(lambda pairs: "".join(word + space for word, space in pairs))


@settings(max_examples=400)
@given(st.one_of(_PROSE, st.text(max_size=60)))
def test_sentences_split_as_punkt_does_afresh(text: str) -> None:
    # sentence_split decides Punkt's candidate breaks itself, with Punkt's patterns: any
    # difference from nltk's own tokenizer, with the same abbreviations, shows here.
    punkt = import_nltk("nltk.tokenize.punkt")
    params = punkt.PunktParameters()
    params.abbrev_types = set(sentence_split.ABBREVIATIONS)
    fresh = punkt.PunktSentenceTokenizer(params)
    expected = [(s, e) for s, e in fresh.span_tokenize(text) if s < e]
    assert sentence_split.split_sentences(text) == expected
    assert sentence_split.split_sentences(text) == expected  # the second time from memory


def test_the_punkt_patterns_are_the_installed_nltks() -> None:
    # sentence_split compiles Punkt's patterns itself, to split without importing nltk: they
    # must be nltk's, with its engine and flags. (One character class is built from a set,
    # its order the process's hash seed's.)
    punkt = import_nltk("nltk.tokenize.punkt")
    language = punkt.PunktLanguageVars()
    theirs = [
        language.period_context_re(),
        language._word_tokenizer_re(),
        language.re_boundary_realignment,
        punkt.PunktToken._RE_NUMERIC,
        punkt.PunktToken._RE_INITIAL,
    ]
    ours = sentence_split._punkt()
    for mine, nltks in zip(
        [ours.candidates, ours.words, ours.realignment, ours.number, ours.initial],
        theirs,
        strict=True,
    ):
        engine = getattr(nltks, "_rx", nltks)  # inside nltk's wall-clock guard
        assert type(mine) is type(engine)
        assert mine.pattern == engine.pattern.replace("!\\?", "\\?!")
        assert mine.flags == engine.flags
    assert ours.punctuation == tuple(punkt.PunktSentenceTokenizer.PUNCTUATION)
    assert set(ours.sentence_ends) == set(language.sent_end_chars)
