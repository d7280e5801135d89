"""The words of /config: confirmations, refusals and the settings overview. Discord
markdown; channel and user mentions are shown, never pinged (the bot sends no pings)."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval import QA

from ..render import words as render
from ..render.markup import markdown_escape
from ..reports.store import SettingChange
from .server_settings import ServerSettings

RECORDED = "Recorded as changed by you."
NOT_SAVED = "Sorry, the setting could not be saved; nothing changed."
NOT_A_CHANNEL = "Help channels are text or forum channels of this server."
DEFAULT_ARTICLE = "the bot's own article"


def confirm(text: str) -> str:
    return f"{text} {RECORDED}"


def auto_answer(channel: str, on: bool, reads_messages: bool, forum: bool) -> str:
    if not on:
        return confirm(f"I no longer answer unprompted in <#{channel}>.")
    where = "new posts" if forum else "new messages"
    text = (
        f"I now answer {where} in <#{channel}> without being mentioned, when the article "
        "clearly answers them; otherwise I stay silent there."
    )
    if not reads_messages:
        text += " Note: this bot runs without Discord's Message Content intent, so I read only " + (
            "each post's title." if forum else "messages that mention me there."
        )
    return confirm(text)


def visibility(private: bool) -> str:
    who = "only the asker" if private else "everyone in the channel"
    return confirm(f"/ask answers are now seen by {who} unless the asker chooses otherwise.")


def threads(on: bool) -> str:
    if on:
        return confirm(
            "/ask now answers in a new thread named after the question, where follow-ups "
            "continue the conversation (askers can choose thread: False)."
        )
    return confirm("/ask now answers in the channel it is used in.")


def logging(on: bool) -> str:
    return confirm(render.recording_message(on))


def article_set(qa: QA) -> str:
    title = markdown_escape(qa.articles[0].title)
    return confirm(
        f"Questions in this server are now answered from \u201c{title}\u201d "
        f"({render.corpus_size(qa)}). `/config article reset` goes back to {DEFAULT_ARTICLE}."
    )


def article_reset(qa: QA) -> str:
    return confirm(
        f"Questions in this server are answered from {DEFAULT_ARTICLE} again: "
        f"\u201c{markdown_escape(qa.title)}\u201d."
    )


def upload_refused(reason: str) -> str:
    return f"That file can't be this server's article: {markdown_escape(reason)}. Nothing changed."


def overview(
    settings: ServerSettings, logging_on: bool, title: str, changes: Sequence[SettingChange]
) -> str:
    """`/config show`: every setting, and the last changes with who made them."""
    channels = ", ".join(f"<#{c}>" for c in sorted(settings.auto_answer)) or "none"
    article = (
        f"this server's own, \u201c{markdown_escape(title)}\u201d"
        if settings.article
        else f"{DEFAULT_ARTICLE}, \u201c{markdown_escape(title)}\u201d"
    )
    lines = [
        f"**Auto-answer channels:** {channels}",
        f"**Answers seen by:** {'the asker' if settings.private else 'everyone'} by default",
        f"**Thread mode:** {'on' if settings.threads else 'off'}",
        f"**Recording questions and votes:** {'on' if logging_on else 'off'}",
        f"**Article:** {article}",
    ]
    if changes:
        lines.append("**Last changes:**")
        lines += [
            f"\u2022 {c.name.replace('_', '-')} \u2192 {markdown_escape(c.value or 'default')} "
            f"by <@{c.by}> <t:{int(c.at)}:R>"
            for c in changes[-5:]
        ]
    return "\n".join(lines)
