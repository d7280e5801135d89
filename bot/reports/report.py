"""What users taught the owner: the report's data from the store's records, as text or JSON.

Pure functions over `AskRecord`s and `VoteRecord`s: the CLI reads the store, the report is
built here, and `html.report_html` draws it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from retrieval.text.analysis import analyse, stem
from retrieval.text.lexicon import REPORTING, REQUEST_WORDS, SMALL_TALK

from ..render.markup import fit, one_line
from .store import AskRecord, VoteRecord

# Two unanswered questions are one topic when they share at least this share of the content
# words of the shorter one: "capital of France?" and "France's capital city?" (2 of 2) are,
# "capital of France?" and "population of France?" (1 of 2) are not.
SHARED_WORDS = 2 / 3
MAX_EXAMPLES = 3
QUESTION_SHOWN = 200  # characters of a question in the text report
# Words that frame a question ("hey, quick question: can you tell me ...") say nothing about
# its topic: two questions sharing only them are not one topic.
_FRAMING = frozenset(
    {stem(w) for w in SMALL_TALK | {"quick", "question", "ask", "wonder", "anyon", "somebodi"}}
    | REQUEST_WORDS
    | REPORTING
)


def topic_words(question: str) -> set[str]:
    words = set(analyse(question)) - _FRAMING
    return words or {question.casefold().strip()}


@dataclass(frozen=True, slots=True)
class Unanswered:
    question: str  # the most recent wording
    count: int
    last: float  # when it was last asked
    others: tuple[str, ...]  # other wordings, most recent first


@dataclass(frozen=True, slots=True)
class DownVoted:
    question: str
    citation: str
    text: str  # the cited sentence the answer led with
    at: float
    down: int
    up: int


@dataclass(frozen=True, slots=True)
class Day:
    day: str  # YYYY-MM-DD, UTC
    asks: int
    abstained: int
    up: int
    down: int

    @property
    def helpful(self) -> float | None:
        return self.up / (self.up + self.down) if self.up + self.down else None


@dataclass(frozen=True, slots=True)
class ParagraphUse:
    article: str
    paragraph: int
    count: int  # answers that led with a sentence of this paragraph


@dataclass(frozen=True, slots=True)
class Report:
    since: str | None
    asks: int
    abstained: int
    votes_up: int
    votes_down: int
    unanswered: tuple[Unanswered, ...]
    down_voted: tuple[DownVoted, ...]
    days: tuple[Day, ...]
    paragraphs: tuple[ParagraphUse, ...]  # most used first

    @property
    def helpful(self) -> float | None:
        votes = self.votes_up + self.votes_down
        return self.votes_up / votes if votes else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["helpful"] = self.helpful
        for day, raw in zip(self.days, data["days"], strict=True):
            raw["helpful"] = day.helpful
        for group in data["unanswered"]:
            group["last"] = iso_time(group["last"])
        for item in data["down_voted"]:
            item["at"] = iso_time(item["at"])
        return data


def iso_time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_of(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def since_timestamp(date: str) -> float:
    """The start (UTC) of a YYYY-MM-DD day; ValueError for anything else."""
    return datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()


def group_unanswered(asks: Sequence[AskRecord]) -> tuple[Unanswered, ...]:
    """Abstained questions grouped by shared content words, the most recent group first."""
    groups: list[tuple[set[str], list[AskRecord]]] = []
    for ask in sorted(asks, key=lambda a: a.at, reverse=True):
        words = topic_words(ask.question)
        for topic, members in groups:
            shared = len(words & topic)
            if shared and shared >= SHARED_WORDS * min(len(words), len(topic)):
                members.append(ask)
                break
        else:
            groups.append((words, [ask]))
    result = []
    for _, members in groups:
        # The group's name: its most common wording (the most recent of equals); Counter
        # keeps first-seen order among ties, and members are most recent first.
        # Wordings that differ only in case or spacing count as one, shown as last asked.
        shown: dict[str, str] = {}
        for m in members:
            shown.setdefault(" ".join(m.question.split()).casefold(), m.question.strip())
        wordings = Counter(" ".join(m.question.split()).casefold() for m in members)
        ranked = [shown[w] for w, _ in wordings.most_common()]
        result.append(
            Unanswered(ranked[0], len(members), members[0].at, tuple(ranked[1:MAX_EXAMPLES]))
        )
    return tuple(result)


def build_report(
    asks: Sequence[AskRecord], votes: Sequence[VoteRecord], since: str | None = None
) -> Report:
    by_id = {a.id: a for a in asks}
    tally: dict[int, Counter[bool]] = defaultdict(Counter)
    for vote in votes:
        tally[vote.ask][vote.up] += 1
    # The same answer to the same question voted down again and again is one entry.
    down: dict[tuple[str, str], DownVoted] = {}
    for ask_id, t in tally.items():
        ask = by_id.get(ask_id)
        if not t[False] or ask is None or not ask.answers:
            continue
        top = ask.answers[0]
        key = (" ".join(ask.question.split()).casefold(), top.citation)
        seen = down.get(key)
        if seen is None:
            down[key] = DownVoted(ask.question, top.citation, top.text, ask.at, t[False], t[True])
        else:
            latest = ask if ask.at > seen.at else None
            down[key] = DownVoted(
                latest.question if latest else seen.question,
                top.citation,
                top.text,
                max(ask.at, seen.at),
                seen.down + t[False],
                seen.up + t[True],
            )
    down_voted = sorted(down.values(), key=lambda d: d.at, reverse=True)

    days: dict[str, Counter[str]] = defaultdict(Counter)
    for ask in asks:
        days[day_of(ask.at)]["asks"] += 1
        days[day_of(ask.at)]["abstained"] += ask.abstained
    for vote in votes:
        days[day_of(vote.at)]["up" if vote.up else "down"] += 1

    used = Counter(
        (a.answers[0].article, a.answers[0].paragraph)
        for a in asks
        if a.answers and not a.abstained
    )
    return Report(
        since=since,
        asks=len(asks),
        abstained=sum(a.abstained for a in asks),
        votes_up=sum(v.up for v in votes),
        votes_down=sum(not v.up for v in votes),
        unanswered=group_unanswered([a for a in asks if a.abstained]),
        down_voted=tuple(down_voted),
        days=tuple(
            Day(day, c["asks"], c["abstained"], c["up"], c["down"])
            for day, c in sorted(days.items())
        ),
        paragraphs=tuple(
            ParagraphUse(article, paragraph, count)
            for (article, paragraph), count in sorted(used.items(), key=lambda i: (-i[1], i[0]))
        ),
    )


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{math.floor(share * 100 + 0.5)}%"


def report_text(report: Report, limit: int = 15) -> str:
    """The report for a terminal: the figures, then each list, longest first cut at `limit`."""
    span = f"since {report.since}" if report.since else "all on record"
    votes = report.votes_up + report.votes_down
    lines = [
        f"Feedback ({span}; times UTC): {report.asks} asks, {report.abstained} not answered "
        f"({percent(report.abstained / report.asks if report.asks else None)}); {votes} votes: "
        f"{report.votes_up} up, {report.votes_down} down "
        f"({percent(report.helpful)} helpful).",
        "",
        "Questions the article could not answer (most recent first):",
    ]
    for group in report.unanswered[:limit]:
        lines.append(f"  {group.count:>4}  {_shown(group.question)}")
        lines.extend(f"          also: {_shown(other)}" for other in group.others)
    if not report.unanswered:
        lines.append("  none")
    lines += ["", "Answers voted down (most recent first):"]
    for item in report.down_voted[:limit]:
        lines.append(
            f"  {iso_time(item.at)[:16].replace('T', ' ')}  {item.citation}  "
            f"{item.down} down, {item.up} up"
        )
        lines += [f"      Q: {_shown(item.question)}", f"      A: {item.text}"]
    if not report.down_voted:
        lines.append("  none")
    lines += ["", "Helpful rate per day:"]
    for day in report.days:
        lines.append(
            f"  {day.day}  {day.asks:>5} asks  {day.abstained:>4} not answered  "
            f"{percent(day.helpful):>4} helpful ({day.up} up, {day.down} down)"
        )
    lines += ["", "Paragraphs that answer most (answers led by one of their sentences):"]
    top = report.paragraphs[0].count if report.paragraphs else 0
    several = len({p.article for p in report.paragraphs}) > 1
    for use in report.paragraphs[:limit]:
        name = f"{use.article}¶{use.paragraph}" if several else f"¶{use.paragraph}"
        bar = "#" * max(1, round(30 * use.count / top))
        lines.append(f"  {name:>8}  {bar} {use.count}")
    return "\n".join(lines)


def _shown(question: str) -> str:
    """A question as the text report prints it: on one line, cut to QUESTION_SHOWN
    characters (the JSON keeps it whole)."""
    return fit(one_line(question), QUESTION_SHOWN)
