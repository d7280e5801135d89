"""Every sentence a user reads, for the console and Discord alike, and the core's results
(Reply, Paragraph) as text, Markdown or JSON.

The front ends only place these pieces: the console prints them, Discord's embeds module
assembles them into embeds. How text is emphasised, escaped and cut is `markup`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from retrieval import QA, Answer, Article, CorpusError, Paragraph, Reply, ReplyKind
from retrieval.evaluation import Judgement
from retrieval.ranking import answer

if TYPE_CHECKING:
    from retrieval.archive.builder import Summary
    from retrieval.cluster.writer import WriteSummary

from .markup import (
    EMBED_TITLE_LIMIT,
    Emphasis,
    emphasise_text,
    fit,
    markdown_escape,
    one_line,
    plain,
    sentence_case,
    terminal_safe,
)

NOT_SAID = "The article doesn't say."
TRY_THESE = "Questions it can answer:"


def emphasise(answer: Answer, emphasis: Emphasis = plain, escape: Emphasis = plain) -> str:
    """The answer's text with its matched words emphasised; `escape` applies to the rest."""
    return emphasise_text(answer.text, answer.highlights, emphasis, escape)


HELLO = "Hello! Ask me anything about the article, in plain words."
WELCOME = "You're welcome! Ask me anything else about the article."
FAREWELL = "Goodbye! Ask again any time."


def small_talk(said: str) -> str:
    """The answer to a greeting, thanks or goodbye."""
    words = set(re.findall(r"[a-z]+", said.lower()))
    if words & {"thanks", "thank", "thx", "ty", "cheers"}:
        return WELCOME
    if words & {"bye", "goodbye"}:
        return FAREWELL
    return HELLO


OVERVIEW = "What the article is about, in its own opening words:"
MORE_ON_THAT = "More on that:"


def reply_text(
    reply: Reply,
    emphasis: Emphasis = plain,
    sources: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """A reply for a terminal: one cited sentence a line, or why there is none; with
    `sources` (QA.sources), then each cited article's title and file."""
    if reply.kind is ReplyKind.SMALL_TALK:
        return small_talk(reply.question)
    if reply.abstained or not reply.answers:
        return not_said_text(reply.reason)
    # Control characters go from the article's text before emphasis adds its own codes.
    lines = [
        f"{terminal_safe(a.citation):>7}  {emphasise(a, emphasis, terminal_safe)}"
        for a in reply.answers
    ]
    heading = {ReplyKind.OVERVIEW: OVERVIEW, ReplyKind.MORE: MORE_ON_THAT}.get(reply.kind)
    lines += [
        terminal_safe(f"{slug:>7}  = {title} ({path})")
        for slug, (title, path) in (sources or {}).items()
    ]
    return "\n".join([heading, *lines] if heading else lines)


NOTHING_MORE = "That's all the article says about that."


def not_said_text(reason: str) -> str:
    if reason == answer.NOTHING_MORE:
        return NOTHING_MORE
    return f"{NOT_SAID[:-1]} ({terminal_safe(reason)})." if reason else NOT_SAID


def paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph with each sentence's citation in front of it, for a terminal."""
    return "\n".join(terminal_safe(f"{s.citation:>7}  {s.text}") for s in paragraph.sentences)


def judgement_line(judgement: Judgement) -> str:
    """One scored item for `eval -v`: verdict, id, question, and what was answered."""
    reply = judgement.reply
    if reply.abstained or not reply.answers:
        said = "[abstained]"
    else:
        top = reply.answers[0]
        said = f"{top.citation} {top.text[:80]}"
    rank = f"@{judgement.rank}" if judgement.rank else ""
    verdict = "OK " if judgement.correct else "BAD"
    question = judgement.question
    return f"{verdict} {question.id:8} {question.question[:58]:58} {rank:3} -> {said}"


def lookup_error(error: LookupError | CorpusError) -> str:
    """A failed lookup ("no paragraph 99: ...") as a sentence, for a terminal."""
    return terminal_safe(f"{sentence_case(str(error))}.")


# --- The console chat -----------------------------------------------------------------------

CONSOLE_HELP = """\
Ask any question about the article in plain words; follow-ups ("Who is its sheriff?")
build on the previous question.
  /source N   show paragraph N with its citations
  /article    the article's title and size, and questions to try
  /reset      forget the conversation (follow-ups start afresh)
  /good /bad  say whether the last answer helped (it teaches the article's owner)
  /help       this help
  /quit       leave (Ctrl-D works too)"""

USAGE_EMPTY = "Type a question about the article, or /help."
GREETING = "Ask a question, or /help."
INTERRUPTED = "^C (type /quit or press Ctrl-D to leave)"
RESET = "Conversation reset."
GOODBYE = "Goodbye."
SOURCE_USAGE = "Usage: /source N (a paragraph number, like /source 3)."
NOTHING_TO_RATE = "Only answers can be rated: /good and /bad rate the last answer."
FEEDBACK_OFF = "Feedback is off (--no-log): votes are not recorded."
VOTE_NOT_SAVED = "Sorry, the vote could not be saved; the answers go on as before."
VOTES_OFF = "Thanks, but questions and votes are not recorded here."


def recording_message(keep: bool) -> str:
    if keep:
        return "Questions and votes in this server are recorded for the bot's owner again."
    return "Questions and votes in this server are no longer recorded."


def vote_message(outcome: str, up: bool, what: str = "the last answer") -> str:
    """The thanks for a vote; `outcome` is a store.VoteOutcome value."""
    verdict = "helpful" if up else "not helpful"
    if outcome == "new":
        return f"Thanks! Noted: {what} was {verdict}."
    if outcome == "changed":
        return f"Vote changed: {what} was {verdict}."
    if outcome == "same":
        return f"You already said {what} was {verdict}; one vote each."
    return VOTE_NOT_SAVED


def unknown_command(name: str) -> str:
    return terminal_safe(f"Unknown command /{name}. Type /help for the list.")


def describe_corpus(qa: QA) -> str:
    """The title (or the articles) and the size of the corpus, for the console."""
    paragraphs = sum(len(a.paragraphs) for a in qa.articles)
    if len(qa.articles) == 1:
        head = qa.title
    else:
        head = f"{len(qa.articles)} articles: " + ", ".join(a.slug for a in qa.articles[:5])
        head += ", ..." if len(qa.articles) > 5 else ""
    return terminal_safe(f"{head}\n{len(qa.sentences)} sentences in {paragraphs} paragraphs.")


def try_these(examples: Sequence[str]) -> str:
    """Questions the corpus answers, for someone who does not know what to ask ("": none)."""
    lines = [TRY_THESE, *(f"  {terminal_safe(e)}" for e in examples)]
    return "\n".join(lines) if examples else ""


# --- Discord: what the bot says, and the pieces its embeds are made of ------------------------

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
CONTEXT_GONE = "That paragraph is no longer in the article; it has changed since."
ANSWER_UNKNOWN = "I can't tell what that answer was about; please ask again."
ARTICLE_CHANGED = (
    "That answer is about an article this server has replaced since; please ask again."
)
SHOW_CONTEXT = "Show context"
ASK_THE_ARTICLE = "Ask the article"  # the message command
POST_PUBLICLY = "Post publicly"
CLOSEST = "Closest passages"
QUESTION_TITLE = "Question"
CLOSEST_TITLE = "Closest passages \u2014 not an answer"
SOURCES_TITLE = "Articles"
CLOSEST_NOTE = (
    "The article doesn't answer this; these are the sentences that come nearest. "
    "Read them as pointers, not as the answer."
)
NO_TEXT = "That message has no text to ask the article about."


def answered_in_thread(thread: int) -> str:
    return f"Answered in <#{thread}>: follow-ups there continue the conversation."


VOTE_UP, VOTE_DOWN = "\N{THUMBS UP SIGN}", "\N{THUMBS DOWN SIGN}"
MORE = "More"
HELP_TITLE = "Ask the article"
TIPS_TITLE = "Tips"
SIZE_TITLE = "Size"
HOW_TO_ASK_TITLE = "How to ask"
TRY_TITLE = "Try"
FALLBACK_EXAMPLE = "What is the article about?"

DISCORD_HELP = """\
**/ask** `question` `[results]` `[private]` `[thread]` \u2014 the article's own sentences \
that answer your question, each with its citation (`\u00b610.2` = paragraph 10, sentence 2) \
and the matching words in **bold**.
**/source** `paragraph` \u2014 a whole paragraph, each sentence with its citation.
**/article** \u2014 what the article is, how long it is, questions to try.
**/help** \u2014 this help.
**Ask the article** (a message's *Apps* menu) \u2014 ask with that message's text; the \
answer is yours alone until you post it.
**/config** \u2014 for server managers: help channels, visibility, threads, recording, the \
server's own article.

You can also mention me with a question in any channel I can read, or send me a DM."""

TIPS = """\
\u2022 Follow-ups build on your last question in the channel: "Who is its sheriff?"
\u2022 Under an answer, **Show context** shows you the whole paragraph and **More** the next \
results.
\u2022 `private:true` shows an answer only to you; `thread:true` answers in a new thread.
\u2022 When the article doesn't say, I tell you so rather than guess."""

HOW_TO_ASK = """\
`/ask question:` your question \u2014 or mention me with it, or DM me.
`/source paragraph:` a paragraph number, to read the whole paragraph."""


def slow_down(retry_after: float) -> str:
    return (
        "You're asking faster than I can keep up with: "
        f"please try again in {max(1, math.ceil(retry_after))} s."
    )


BUSY = "I'm still working on your previous questions: please wait for their answers."


def cannot_post(channel: str) -> str:
    """A DM to someone who asked in a channel where the bot may not post (or embed)."""
    return (
        f"I can't post in #{markdown_escape(channel)}, so I couldn't answer you there. "
        "Ask me here in a DM, or use /ask, which answers wherever you type it."
    )


def chat_hint(name: str, examples: Sequence[str], limit: int) -> str:
    """What a bare mention of the bot (`name`) gets: how to ask, with an example."""
    example = examples[0] if examples else FALLBACK_EXAMPLE
    return fit(
        f"Ask me about the article in plain words, like: @{markdown_escape(name)} "
        f"{markdown_escape(example)} \u2014 or use /ask. /help lists what I can do.",
        limit,
    )


def lookup_error_markdown(error: LookupError) -> str:
    return markdown_escape(sentence_case(str(error))) + "."


def question_title(question: str) -> str | None:
    """The question as an embed title (None for a blank one: Discord rejects empty titles)."""
    text = one_line(question)
    return fit(text, EMBED_TITLE_LIMIT, markdown_escape) if text else None


def paragraph_title(paragraph: Paragraph) -> str:
    return f"Paragraph {paragraph.number}"


def articles_title(qa: QA) -> str:
    return f"{len(qa.articles)} articles"


def article_label(article: Article) -> str:
    """An article named in a list: its title, then the slug that cites it."""
    return f"{article.title} ({article.slug})"


def corpus_size(qa: QA) -> str:
    paragraphs, sentences = sum(len(a.paragraphs) for a in qa.articles), len(qa.sentences)
    return f"{_count(paragraphs, 'paragraph')}, {_count(sentences, 'sentence')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def titles_of(qa: QA, answers: Sequence[Answer], limit: int) -> str:
    """The titles of the articles the answers come from (none: the first article's)."""
    slugs = dict.fromkeys(a.article for a in answers) or [qa.articles[0].slug]
    return fit(" \u00b7 ".join(qa.article(slug).title for slug in slugs), limit)


def index_summary(summary: Summary, directory: str) -> str:
    """The one line `article-qa index` ends with."""
    kept = summary.articles - summary.analysed
    skipped = f", {summary.skipped:,} skipped (not articles)" if summary.skipped else ""
    if not summary.written:
        return (
            f"up to date: {summary.articles:,} articles{skipped}, {summary.sentences:,} "
            f"sentences, {summary.bytes_on_disk / 1e6:,.1f} MB on disk, nothing written, in "
            f"{directory}"
        )
    return (
        f"{summary.articles:,} articles, {summary.sentences:,} sentences, {summary.terms:,} "
        f"terms, {summary.bytes_on_disk / 1e6:,.1f} MB on disk, {summary.seconds:.1f} s "
        f"({summary.analysed:,} analysed, {kept:,} unchanged{skipped}) in {directory}"
    )


def cluster_summary(summary: WriteSummary) -> str:
    """The one line `article-qa index PATH --sphinx SHARDS` ends with."""
    shards = "; ".join(
        f"{s.address}: {s.sentences:,} sentences, {s.removed:,} removed" for s in summary.shards
    )
    return (
        f"{summary.articles:,} articles, {summary.sentences:,} sentences in "
        f"{summary.seconds:.1f} s into {len(summary.shards)} shards ({shards})"
    )
