"""The stems an archive carries: nltk's own, for every word answering reads, so that a
fresh process answers from an archive without importing nltk, with the same answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

from retrieval import QA, Corpus
from retrieval.archive.builder import build
from retrieval.text import lexicon
from retrieval.text.analysis import tokenize, word_stems
from tests.test_archive import QUESTIONS, write_corpus

# Whose every word is in the test corpus (so its stem is in the archive's table).
KNOWN_WORDS = [
    "Who is the sheriff of Travis County?",
    "What is ICE responsible for?",
    "How much money did Travis County lose?",
    "What are sanctuary cities?",
    "What did the Department of Justice say?",
]
# "Glaciers" and "melting" are in no sentence: their stems come from nltk, as before.
UNKNOWN_WORD = "Were the glaciers melting in Travis County?"

_ASK = """
import json, sys
from retrieval import QA
from retrieval.archive.builder import open_archive
from retrieval.archive.corpus import ArchiveCorpus
qa = QA(ArchiveCorpus(open_archive(sys.argv[1], sys.argv[2])))
replies = [repr(qa.ask(q, k=5)) for q in json.loads(sys.argv[3])]
print(json.dumps({"nltk": "nltk" in sys.modules, "replies": replies}))
"""


def _ask_fresh(root: Path, index: Path, questions: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _ASK, str(root), str(index), json.dumps(questions)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout)


def test_the_table_holds_nltks_stem_of_every_word_answering_reads(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    table = build(root, tmp_path / "index")[0].stems().as_dict()
    stemmer = SnowballStemmer("english")
    assert table["sheriff"] == "sheriff" and table["cities"] == "citi"
    assert {word: stemmer.stem(word) for word in table} == table
    corpus = Corpus.load(root)
    texts = [s.text for s in corpus.sentences] + [a.title for a in corpus.articles]
    surfaces = [t.text for text in texts for t in tokenize(text)]
    surfaces += [w for group in lexicon.SYNONYM_GROUPS for w in group.split()]
    assert word_stems(surfaces).items() <= table.items()
    assert table.get("glacier") is None


def test_a_refresh_keeps_the_stems_of_deleted_files_and_adds_new_ones(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    (root / "zebra.txt").write_text("Zebras\n\nThe zebras escaped quickly.\n", encoding="utf-8")
    build(root, tmp_path / "index")
    (root / "zebra.txt").unlink()
    (root / "yak.txt").write_text("Yaks\n\nThe yaks grazed.\n", encoding="utf-8")
    refreshed = build(root, tmp_path / "index")[0].stems().as_dict()
    fresh = build(root, tmp_path / "fresh")[0].stems().as_dict()
    assert "zebras" not in fresh and refreshed["zebras"] == "zebra"
    assert refreshed["grazed"] == fresh["grazed"] == "graze"
    assert fresh.items() <= refreshed.items()


def test_a_fresh_process_answers_from_an_archive_without_nltk_and_as_in_memory(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    build(root, tmp_path / "index")
    memory = QA(Corpus.load(root))
    known = _ask_fresh(root, tmp_path / "index", KNOWN_WORDS)
    assert known == {"nltk": False, "replies": [repr(memory.ask(q, k=5)) for q in KNOWN_WORDS]}
    unknown = _ask_fresh(root, tmp_path / "index", [UNKNOWN_WORD, *QUESTIONS])
    expected = [repr(memory.ask(q, k=5)) for q in [UNKNOWN_WORD, *QUESTIONS]]
    assert unknown == {"nltk": True, "replies": expected}
