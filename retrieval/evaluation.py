"""Score a QA against a question file (JSON lines): answer substrings, abstention, follow-ups.

The metrics are those of the shared scorer (`score_article.py`): an answer is right when the
top sentence contains one of the gold substrings after the same folding, an unanswerable
question is right when the QA abstains, and each turn of a conversation is scored with the
earlier turns as its context.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .ranking.answer import DEFAULT_K, QA
from .records import Reply

_FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


class EvalFileError(ValueError):
    """A question file that cannot be scored; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...]  # empty: the article does not answer, the QA must abstain
    followup: bool = False  # a later turn of a conversation


@dataclass(frozen=True, slots=True)
class Conversation:
    turns: tuple[Question, ...]  # a single question is a conversation of one turn


@dataclass(frozen=True, slots=True)
class Judgement:
    question: Question
    reply: Reply
    rank: int | None  # 1-based position of the first right answer among the first k

    @property
    def answerable(self) -> bool:
        return bool(self.question.answers)

    @property
    def correct(self) -> bool:
        """Right at rank 1, or rightly abstained on an unanswerable question."""
        return self.rank == 1 if self.answerable else not self.given

    @property
    def given(self) -> bool:
        return not self.reply.abstained and bool(self.reply.answers)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"\s+", " ", text).strip().lower()


def _question(raw: object, where: str, id_: str, followup: bool) -> Question:
    if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
        raise EvalFileError(f'{where}: expected an object with a string "question"')
    answers = raw.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise EvalFileError(f'{where}: "answers" must be a list of strings ([] = unanswerable)')
    if any(not fold(a) for a in answers):
        # An empty substring is in every sentence: it would score any answer right.
        raise EvalFileError(f'{where}: an answer in "answers" is empty')
    if not raw["question"].strip():
        raise EvalFileError(f"{where}: the question is empty")
    return Question(id_, raw["question"], tuple(answers), followup)


def parse_eval_lines(lines: Iterable[str], source: str) -> list[Conversation]:
    conversations = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(item, dict):
            raise EvalFileError(f"{where}: expected a JSON object")
        id_ = str(item.get("id", f"line{number}"))
        if "turns" in item:
            turns = item["turns"]
            if not isinstance(turns, list) or not turns:
                raise EvalFileError(f'{where}: "turns" must be a non-empty list')
            conversations.append(
                Conversation(
                    tuple(
                        _question(t, f"{where} turn {i}", f"{id_}.{i}", i > 1)
                        for i, t in enumerate(turns, start=1)
                    )
                )
            )
        else:
            conversations.append(Conversation((_question(item, where, id_, False),)))
    if not conversations:
        raise EvalFileError(f"{source}: no questions")
    return conversations


def load_eval(path: str | Path) -> list[Conversation]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise EvalFileError(f"{path}: cannot be read ({reason})") from None
    return parse_eval_lines(text.splitlines(), str(path))


def judge(question: Question, reply: Reply, k: int) -> Judgement:
    gold = [fold(a) for a in question.answers]
    rank = None
    if gold and not reply.abstained:
        for position, answer in enumerate(reply.answers[:k], start=1):
            if any(g in fold(answer.text) for g in gold):
                rank = position
                break
    return Judgement(question, reply, rank)


def run_eval(qa: QA, conversations: Sequence[Conversation], k: int = DEFAULT_K) -> list[Judgement]:
    judgements = []
    for conversation in conversations:
        previous: Reply | None = None
        for turn in conversation.turns:
            previous = qa.ask(turn.question, k=k, previous=previous)
            judgements.append(judge(turn, previous, k))
    return judgements


def _mean(values: Sequence[float]) -> float | None:
    """The mean, or None for no values: a file with no follow-ups has no follow-up score."""
    return sum(values) / len(values) if values else None


def metrics(judgements: Sequence[Judgement]) -> dict[str, float | int | None]:
    answerable = [j for j in judgements if j.answerable]
    unanswerable = [j for j in judgements if not j.answerable]
    followups = [j for j in answerable if j.question.followup]
    return {
        "items": len(judgements),
        "p_at_1": _mean([j.rank == 1 for j in answerable]),
        "recall_at_3": _mean([j.rank is not None and j.rank <= 3 for j in answerable]),
        "mrr_at_5": _mean([1.0 / j.rank if j.rank and j.rank <= 5 else 0.0 for j in answerable]),
        "false_abstain_rate": _mean([not j.given for j in answerable]),
        "abstain_accuracy": _mean([j.correct for j in unanswerable]),
        "followup_p_at_1": _mean([j.rank == 1 for j in followups]),
        "overall_accuracy": _mean([j.correct for j in judgements]),
    }
