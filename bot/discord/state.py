"""What the bot remembers between messages, bounded: conversations and each user's
question budget."""

from __future__ import annotations

import contextlib
import json
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import Answer, Reply, ReplyKind

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A mapping that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"an LRU holds at least one entry, not {size}")
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: K) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


Key = tuple[int, int]  # (channel, thread or DM; user)


class Conversations:
    """Each person's conversation in each channel, thread or DM, bounded: the tag of the
    shelf that answered and what a follow-up needs of their last reply
    (`Reply.remembered()`), packed into one string. As records, a conversation was some
    forty objects and a kilobyte: a bot holding its 4,096 grew by 13% in a soak, and the
    allocator could not give scattered small objects back."""

    def __init__(self, size: int) -> None:
        self._held: LRU[Key, tuple[str, str]] = LRU(size)

    @property
    def size(self) -> int:
        return self._held.size

    def __len__(self) -> int:
        return len(self._held)

    def last_reply(self, key: Key, tag: str) -> Reply | None:
        """The last reply in conversation `key`, if the shelf `tag` gave it (one about an
        article since replaced is not followed up)."""
        held = self._held.get(key)
        return unpack_reply(held[1]) if held is not None and held[0] == tag else None

    def remember(self, key: Key, tag: str, reply: Reply) -> None:
        self._held.put(key, (tag, pack_reply(reply)))

    def held(self, key: Key) -> tuple[str, str] | None:
        """What conversation `key` holds, to put back with `restore`."""
        return self._held.get(key)

    def restore(self, key: Key, held: tuple[str, str] | None) -> None:
        """Conversation `key` as `held` found it (None: as if never started)."""
        if held is None:
            self._held.pop(key)
        else:
            self._held.put(key, held)


def pack_reply(reply: Reply) -> str:
    """`reply.remembered()` as one compact string (see Conversations)."""
    kept = reply.remembered()
    first = [[a.citation, a.score, a.article, a.paragraph, a.sentence] for a in kept.answers]
    fields = [kept.abstained, kept.kind.value, kept.focus, kept.shown, first]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def unpack_reply(packed: str) -> Reply:
    """The Reply `pack_reply` packed, equal to its `remembered()`."""
    abstained, kind, focus, shown, first = json.loads(packed)
    answers = tuple(
        Answer(
            citation=citation,
            text="",
            score=score,
            article=article,
            paragraph=paragraph,
            sentence=sentence,
        )
        for citation, score, article, paragraph, sentence in first
    )
    return Reply(
        question="",
        abstained=abstained,
        answers=answers,
        focus=tuple((term, weight) for term, weight in focus),
        kind=ReplyKind(kind),
        shown=tuple(shown),
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    cooldown: commands.Cooldown  # the user's bucket, as CommandOnCooldown reports it
    retry_after: float = 0.0
    first_refusal: bool = False  # the first refusal since the user was last allowed


class _Cooldown(commands.Cooldown):
    """discord.py's bucket, also knowing whether its user was already refused: a mention
    gets one slow-down notice per burst, not one per message."""

    __slots__ = ("refused",)

    def __init__(self, rate: float, per: float) -> None:
        super().__init__(rate, per)
        self.refused = False


def _user_id(user: discord.abc.User) -> int:
    return user.id


class QuestionBudget:
    """At most `rate` questions per `per` seconds for each user, /ask and mentions alike.

    discord.py's CooldownMapping keeps a bucket per user and drops it only once its window
    has passed, so no flood of other users makes it forget one who is being limited.
    """

    def __init__(self, rate: int, per: float) -> None:
        self.rate, self.per = rate, per
        self._buckets = commands.CooldownMapping(_Cooldown(rate, per), _user_id)

    def hit(self, user: discord.abc.User) -> Verdict:
        # Monotonic, looked up at each call: the wall clock jumps, and test clocks replace it.
        # Shifted by a second: discord.py reads a time of 0.0 as "none given" and takes the
        # wall clock instead, and a virtual clock (SimCord's) starts at 0.0.
        now = time.monotonic() + 1.0
        bucket = cast(_Cooldown, self._buckets.get_bucket(user, now))
        retry_after = bucket.update_rate_limit(now)
        if not retry_after:
            bucket.refused = False
            return Verdict(True, bucket)
        first, bucket.refused = not bucket.refused, True
        return Verdict(False, bucket, retry_after, first)


class Busy(app_commands.AppCommandError):
    """The user already has as many questions waiting as one user may; refused, not queued."""


class InFlight:
    """At most `limit` requests per user waiting for or using the worker at once.

    The core answers in one worker thread, in order: without a bound, one user's thousand
    clicks queued ahead of everyone else's questions. A refused request costs nothing.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[int, int] = {}

    @contextlib.contextmanager
    def slot(self, user_id: int) -> Iterator[None]:
        """Hold one of the user's slots for the block; Busy if none is free.

        Entered without awaiting, so no other request of the user slips in between the
        check and the count."""
        count = self._counts.get(user_id, 0)
        if count >= self.limit:
            raise Busy(f"user {user_id} has {count} requests in flight")
        self._counts[user_id] = count + 1
        try:
            yield
        finally:
            left = self._counts[user_id] - 1
            if left:
                self._counts[user_id] = left
            else:
                del self._counts[user_id]  # forgotten when idle: the map stays small

    def __len__(self) -> int:
        return len(self._counts)
