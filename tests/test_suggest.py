"""Example questions built from the corpus's own names, that the corpus answers."""

from __future__ import annotations

from retrieval import QA
from retrieval.ranking.suggest import example_questions


def test_example_questions_come_from_the_article_itself() -> None:
    made_up = QA.from_sentences(
        [
            "The Zorblat County council met on Tuesday.",
            "Councillor Mira Quandt proposed a new bridge over the Plimsy River.",
            "The Zorblat County budget cannot pay for it, said Mira Quandt.",
            "Residents have waited twenty years for a bridge.",
        ],
        title="A bridge too far",
    )
    questions = example_questions(made_up)
    assert questions[:2] == (
        "What does the article say about Zorblat County?",
        "What does the article say about Mira Quandt?",
    )
    assert all(not made_up.ask(q, k=1).abstained for q in questions)


def test_example_topics_come_from_an_even_sample_of_a_large_corpus(monkeypatch) -> None:
    from retrieval.ranking import suggest

    monkeypatch.setattr(suggest, "SAMPLE_SIZE", 4)
    sentences = [f"Ana Ruiz opened bridge number {n}." for n in range(10)]
    qa = QA.from_sentences(sentences)
    assert suggest._sample(qa) == [sentences[n] for n in (0, 3, 6, 9)]
    assert example_questions(qa)[0] == "What does the article say about Ana Ruiz?"


def test_example_questions_put_the_where_the_article_does() -> None:
    made_up = QA.from_sentences(
        [
            "The Harbour Board met the Harbour Board's critics on Monday.",
            "Critics of the Harbour Board, led by Ana Ruiz, want a vote.",
            "Ana Ruiz says the Harbour Board meets in secret.",
        ]
    )
    assert example_questions(made_up)[:2] == (
        "What does the article say about the Harbour Board?",
        "What does the article say about Ana Ruiz?",
    )
