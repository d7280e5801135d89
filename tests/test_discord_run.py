"""`article-qa discord`: token handling, exit codes, invite link, wiring; no network."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from bot.cli import main
from bot.discord import create_bot
from bot.discord import run as discord_run
from bot.discord.app import ArticleBot, ShardedArticleBot
from retrieval import QA

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-to-be-printed"
APP_ID = "123456789012345678"


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_missing_token_exits_2_saying_where_to_get_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("article-qa: no bot token: set DISCORD_TOKEN or pass --token-file PATH.")
    assert "https://discord.com/developers/applications" in err
    assert "Reset Token" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the token file"), ("  \n", "the token file is empty")],
)
def test_unusable_token_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "token"
    if content is not None:
        path.write_text(content)

    assert main(["discord", "--token-file", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"article-qa: {path}: {message}")


def _reject_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord's answer to a bad token: 401 on the login request (no network involved)."""

    async def request(
        self: discord.http.HTTPClient, route: discord.http.Route, **_: object
    ) -> None:
        response = types.SimpleNamespace(status=401, reason="Unauthorized")
        raise discord.HTTPException(response, {"message": "401: Unauthorized", "code": 0})

    monkeypatch.setattr(discord.http.HTTPClient, "request", request)


@pytest.mark.parametrize("from_file", [False, True])
def test_rejected_token_exits_1_without_traceback_or_token(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    from_file: bool,
) -> None:
    _reject_every_request(monkeypatch)
    if from_file:
        (tmp_path / "token").write_text(TOKEN + "\n")
        argv = ["discord", "--token-file", str(tmp_path / "token"), "--log-level", "debug"]
    else:
        monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        argv = ["discord", "--log-level", "debug"]

    with caplog.at_level(logging.DEBUG):
        assert main(argv) == 1

    out, err = capsys.readouterr()
    source = str(tmp_path / "token") if from_file else "DISCORD_TOKEN"
    assert err.startswith(f"article-qa: Discord rejected the bot token from {source}.")
    assert "Traceback" not in err
    assert TOKEN not in out + err + caplog.text
    assert "logging in using static token" in caplog.text  # discord.py did try to log in


def test_the_token_is_redacted_from_any_log_record(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token is %s", (TOKEN,), None)
    assert discord_run.RedactToken(TOKEN).filter(record)
    assert record.getMessage() == "token is [token]"


def test_invite_url_has_both_scopes_and_only_the_needed_permissions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["discord", "--invite-url", APP_ID]) == 0  # no token needed

    url = urlsplit(capsys.readouterr().out.strip())
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == ("https", "discord.com", "/oauth2/authorize")
    assert query["client_id"] == [APP_ID]
    assert query["scope"] == ["bot applications.commands"]
    needed = discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,  # /ask's thread mode
        embed_links=True,
        read_message_history=True,
    )
    assert query["permissions"] == [str(needed.value)]


def test_invite_prints_both_install_links_and_what_each_allows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["discord", "invite", APP_ID]) == 0  # no token needed

    out = capsys.readouterr().out
    urls = [urlsplit(line.strip()) for line in out.splitlines() if "https://" in line]
    server, user = (parse_qs(url.query) for url in urls)
    assert server == {
        "client_id": [APP_ID],
        "scope": ["bot applications.commands"],
        "permissions": [str(discord_run.INVITE_PERMISSIONS)],
        "integration_type": ["0"],
    }
    assert user == {
        "client_id": [APP_ID],
        "scope": ["applications.commands"],
        "integration_type": ["1"],
    }
    paragraphs = out.split("\n\n")
    assert paragraphs[0].startswith("Add to a server (you need Manage Server there):")
    assert "Read Message History" in paragraphs[0]
    assert paragraphs[1].startswith("Install for yourself")
    assert "any server, DM\n  or group DM" in paragraphs[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["discord", "invite"], "article-qa: discord invite needs the application ID"),
        (["discord", "invite", "12"], "not a Discord ID"),
        (["discord", "uninvite", APP_ID], "invalid choice: 'uninvite'"),
    ],
)
def test_invite_without_a_good_application_id_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["discord", "--invite-url", "12"],
        ["discord", "--guild", "general"],
        ["discord", "--shard-count", "0"],
        ["discord", "--log-level", "LOUD"],
    ],
)
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--shard-ids", "0"], "--shard-ids needs --shard-count N"),
        (["--shard-count", "2", "--shard-ids", "2"], "--shard-ids must be distinct numbers"),
        (["--shard-count", "auto", "--shard-ids", "0"], "--shard-ids needs --shard-count N"),
    ],
)
def test_shard_ids_need_a_shard_count(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    assert main(["discord", *argv]) == 2
    assert capsys.readouterr().err.startswith(f"article-qa: {message}")


def test_missing_corpus_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    assert main(["discord", "--corpus", str(tmp_path / "nothing.txt")]) == 2


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, str]]:
    """Replaces the network part: records the bot and token `article-qa discord` would run."""
    runs: list[tuple[object, str]] = []

    async def serve(bot: object, token: str, source: str) -> int:
        runs.append((bot, token))
        return 0

    monkeypatch.setattr(discord_run, "serve", serve)
    monkeypatch.setenv("DISCORD_TOKEN", f"  {TOKEN}\n")
    return runs


def test_options_reach_the_bot(served: list[tuple[object, str]], tmp_path: Path) -> None:
    assert main(["discord", "--guild", APP_ID, "--sync"]) == 0

    ((bot, token),) = served
    assert isinstance(bot, ArticleBot) and token == TOKEN
    settings = bot.settings
    assert (settings.guild_id, settings.force_sync) == (int(APP_ID), True)
    assert settings.sync_state == tmp_path / "state" / "article-qa" / "discord-commands.json"
    assert not bot.intents.message_content and not bot.intents.members


@pytest.mark.parametrize(
    ("argv", "count", "ids"),
    [
        (["--shard-count", "auto"], None, None),
        (["--shard-count", "4", "--shard-ids", "2", "3"], 4, [2, 3]),
    ],
)
def test_sharding_options(
    served: list[tuple[object, str]], argv: list[str], count: int | None, ids: list[int] | None
) -> None:
    assert main(["discord", *argv]) == 0

    ((bot, _),) = served
    assert isinstance(bot, ShardedArticleBot)
    assert (bot.shard_count, bot.shard_ids) == (count, ids)


def test_ask_and_chat_never_import_discord() -> None:
    code = (
        "import sys; from bot.cli import main\n"
        "assert main(['ask', 'Where is Austin?']) == 0\n"
        "assert 'discord' not in sys.modules, 'ask imported discord'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "¶10.2" in done.stdout


def test_invite_url_never_imports_discord() -> None:
    code = (
        "import sys; from bot.cli import main\n"
        f"assert main(['discord', '--invite-url', '{APP_ID}']) == 0\n"
        "assert 'discord' not in sys.modules, '--invite-url imported discord'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"https://discord.com/oauth2/authorize?client_id={APP_ID}&")


# --- Stopping and staying up (issue 15) -------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_bot_while_it_connects_and_exits_0(
    qa: QA, monkeypatch: pytest.MonkeyPatch, signum: signal.Signals
) -> None:
    bot = create_bot(qa)
    connecting = asyncio.Event()
    cancelled: list[bool] = []

    async def login(token: str) -> None:
        connecting.set()
        try:
            await asyncio.Event().wait()  # Discord never answers
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    monkeypatch.setattr(bot, "login", login)

    async def run() -> int:
        async def signal_when_connecting() -> None:
            await connecting.wait()
            os.kill(os.getpid(), signum)

        sender = asyncio.create_task(signal_when_connecting())
        code = await discord_run.serve(bot, TOKEN)
        await sender
        return code

    assert asyncio.run(run()) == 0
    assert cancelled == [True]  # the pending connection was abandoned, not waited out
    assert bot.is_closed()


def test_an_attribute_error_in_discord_py_s_reconnect_is_retried(
    qa: QA, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot = create_bot(qa)
    connects: list[bool] = []

    async def login(token: str) -> None:
        pass

    async def connect(*, reconnect: bool) -> None:
        connects.append(reconnect)
        if len(connects) < 3:
            # What discord.py raises from its reconnect path after a gateway failure.
            raise AttributeError("'NoneType' object has no attribute 'sequence'")
        await bot.close()  # the third connection lasts until the bot is closed

    monkeypatch.setattr(bot, "login", login)
    monkeypatch.setattr(bot, "connect", connect)
    monkeypatch.setattr(discord_run, "backoff", lambda: iter([0.0, 0.0]))
    caplog.set_level(logging.INFO, logger="bot.discord.run")

    assert asyncio.run(discord_run.serve(bot, TOKEN)) == 0
    assert connects == [True, True, True]
    assert [r.getMessage() for r in caplog.records if r.name == "bot.discord.run"] == [
        "gateway failed ('NoneType' object has no attribute 'sequence'); reconnecting in 0 s"
    ] * 2
