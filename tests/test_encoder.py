from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from retrieval import QA
from retrieval.ranking import encoder as encoder_module
from retrieval.ranking import semantic
from retrieval.ranking.encoder import DIMENSIONS, EncoderUnavailable, check_file, load_minilm
from retrieval.ranking.semantic import SentenceVectors, kept_vectors


@pytest.fixture(scope="module")
def minilm():
    return load_minilm()


class CountingEncoder:
    """A stand-in encoder: a fixed vector per text, and a count of the texts it encoded."""

    name = "counting"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded += texts
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            row = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.asarray(rows, dtype=np.float32).reshape(-1, DIMENSIONS)


def test_the_encoder_gives_unit_vectors_that_put_paraphrases_close(minilm):
    vectors = minilm.encode(
        [
            "Who discovered oxygen?",
            "Carl Wilhelm Scheele was the first to isolate the gas we breathe, in 1772.",
            "The Rhine flows through six countries before it reaches the North Sea.",
        ]
    )
    assert vectors.shape == (3, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1
    # One text at a time: its vector does not depend on what else was encoded with it.
    assert np.array_equal(minilm.encode(["Who discovered oxygen?"])[0], vectors[0])


def test_a_file_that_is_not_the_pinned_one_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(EncoderUnavailable) as refused:
        check_file(fake)
    assert str(refused.value) == f"the encoder's file {fake} is not the one expected (sha256)"
    with pytest.raises(EncoderUnavailable, match="cannot read the encoder's file"):
        check_file(tmp_path / "missing.onnx")


def test_a_missing_model_package_is_named(monkeypatch):
    monkeypatch.setattr(encoder_module, "MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(EncoderUnavailable) as refused:
        load_minilm()
    assert str(refused.value) == "the encoder's package no-such-model-package is not installed"


def test_a_sentence_sharing_no_word_with_the_question_becomes_a_candidate(minilm):
    sentences = [
        "The feline slept on the rug all afternoon.",
        "Stock markets fell on Monday, and the cat food maker's shares with them.",
    ]
    lexical = QA.from_sentences(sentences)
    hybrid = QA(lexical.corpus, encoder=minilm)
    question = "Where was the cat napping?"
    assert [c.doc for c in lexical.rank(question).candidates] == [1]
    assert sorted(c.doc for c in hybrid.rank(question).candidates) == [0, 1]
    # A question none of whose words the article has is declined as such, meaning or not.
    assert hybrid.ask("Who won the election?").reason == (
        "none of the question's words are in the article"
    )


def test_a_large_corpus_encodes_only_its_candidates(monkeypatch):
    monkeypatch.setattr(semantic, "ALL_VECTORS_UP_TO", 0)
    counting = CountingEncoder()
    sentences = [f"Sentence {n} is about topic {n}." for n in range(40)]
    sentences[7] = "The sheriff of the county announced a new policy."
    qa = QA(QA.from_sentences(sentences).corpus, encoder=counting)
    assert qa.vectors is not None and qa.vectors.matrix is None and counting.encoded == []
    qa.rank("What did the sheriff announce?")
    # The question and the BM25 candidates, each once.
    assert counting.encoded[0] == "What did the sheriff announce?"
    assert "The sheriff of the county announced a new policy." in counting.encoded
    assert len(counting.encoded) == len(set(counting.encoded)) < len(sentences)


def test_sentence_vectors_are_kept_for_the_next_start(tmp_path):
    corpus = QA.from_sentences(["One sentence here.", "Another one there."]).corpus
    first = CountingEncoder()
    kept = kept_vectors(first, corpus.sentences, tmp_path)
    assert first.encoded == ["One sentence here.", "Another one there."]
    [stored] = list(tmp_path.glob("vectors-*.npy"))
    again = CountingEncoder()
    reread = kept_vectors(again, corpus.sentences, tmp_path)
    assert again.encoded == [] and np.array_equal(reread.matrix, kept.matrix)
    stored.write_bytes(b"damaged")  # made again, and kept again
    assert np.array_equal(kept_vectors(again, corpus.sentences, tmp_path).matrix, kept.matrix)
    assert again.encoded == ["One sentence here.", "Another one there."]


def test_vectors_of_another_corpus_size_are_refused():
    corpus = QA.from_sentences(["One sentence here."]).corpus
    with pytest.raises(ValueError, match=r"\(2, 384\) vectors for 1 sentences"):
        SentenceVectors(CountingEncoder(), corpus.sentences, np.zeros((2, DIMENSIONS)))


def test_the_tokenizer_ships_with_its_licence():
    folder = Path(encoder_module.__file__).parent
    assert (folder / "minilm-tokenizer.json").stat().st_size > 400_000
    assert "Apache License" in (folder / "MINILM-LICENSE.txt").read_text(encoding="utf-8")


def test_the_cli_answers_by_words_alone_when_the_encoder_cannot_load(monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setattr(encoder_module, "MODEL_SHA256", "0" * 64)
    code = main(["ask", "--no-log", "--semantic", "Who is the sheriff of Travis County?"])
    out, err = capsys.readouterr()
    assert code == 0 and "Sally Hernandez" in out
    path = encoder_module.model_path()
    assert err == (
        f"article-qa: the encoder's file {path} is not the one expected (sha256); "
        "answering by words alone\n"
    )


def test_semantic_answers_as_the_core_does_with_the_encoder(minilm, capsys):
    import json

    from bot.cli import main

    hybrid = QA.load(encoder=minilm)
    question = "How much money did Travis County lose?"
    assert main(["ask", "--no-log", "--semantic", "--json", question]) == 0
    out, err = capsys.readouterr()
    cited = [a["citation"] for a in json.loads(out)["answers"]]
    assert err == "" and cited == [a.citation for a in hybrid.ask(question).answers]


def test_an_archive_encodes_only_the_candidates(tmp_path):
    from retrieval.archive.builder import build
    from retrieval.archive.corpus import ArchiveCorpus

    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(3):
        (folder / f"town{n}.txt").write_text(
            f"Town {n}\n\nTown {n} has a bridge. Its mayor is Ann Lee {n}.\n", encoding="utf-8"
        )
    archive, _ = build(folder, tmp_path / "index")
    counting = CountingEncoder()
    qa = QA(ArchiveCorpus(archive), encoder=counting)
    assert qa.vectors is not None and qa.vectors.matrix is None
    ranking = qa.rank("Who is the mayor of Town 1?")
    assert ranking.candidates and counting.encoded[0] == "Who is the mayor of Town 1?"
    candidates = {qa.sentences[c.doc].text for c in ranking.candidates}
    assert sorted(counting.encoded[1:]) == sorted(candidates)


def test_the_discord_bot_takes_semantic_too():
    from bot.discord.settings import DiscordSettings
    from bot.parser import build_parser

    args = build_parser().parse_args(["discord", "--semantic"])
    assert DiscordSettings.from_args(args).semantic is True
    assert DiscordSettings.from_args(build_parser().parse_args(["discord"])).semantic is False


def test_the_hybrid_weights_fit_the_features():
    from retrieval.ranking.rerank import FEATURES, TRIGGER_FEATURES, Model
    from retrieval.ranking.semantic import SEMANTIC_FEATURES, SEMANTIC_TRIGGER_FEATURES

    model = Model.shipped(hybrid=True)
    assert len(model.rank) == len(FEATURES) + len(SEMANTIC_FEATURES)
    assert len(model.trigger) == len(TRIGGER_FEATURES) + len(SEMANTIC_TRIGGER_FEATURES)
    assert 0.0 < model.abstain_below < 1.0
