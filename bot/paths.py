"""Where the commands keep files between runs: data, cache, config and state directories.

The one place that reads the environment for a directory. platformdirs gives each
platform's convention (on Linux it honours XDG_STATE_HOME, XDG_CACHE_HOME, XDG_DATA_HOME
and XDG_CONFIG_HOME); an explicit argument, then $ARTICLE_QA_CACHE_DIR for the cache,
override it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "article-qa"
CACHE_DIR_VARIABLE = "ARTICLE_QA_CACHE_DIR"


def _dirs() -> platformdirs.PlatformDirs:
    # Made at each call, never at import: the environment (and a test's) may change.
    # appauthor=False: no "article-qa/article-qa" nesting on Windows.
    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def _chosen(override: str | Path | None) -> Path | None:
    return Path(override).expanduser() if override else None


def state_dir(override: str | Path | None = None) -> Path:
    """Chat history and the last command sync: worth keeping, but not the user's data."""
    return _chosen(override) or _dirs().user_state_path


def cache_dir(override: str | Path | None = None) -> Path:
    """The analysed corpus: anything here may be deleted at any time."""
    explicit = _chosen(override) or _chosen(os.environ.get(CACHE_DIR_VARIABLE))
    return explicit or _dirs().user_cache_path


def data_dir(override: str | Path | None = None) -> Path:
    """The feedback database and its salt: the owner's data, kept until purged."""
    return _chosen(override) or _dirs().user_data_path


def config_dir(override: str | Path | None = None) -> Path:
    """Where a user would keep settings, such as the bot's token file."""
    return _chosen(override) or _dirs().user_config_path


def history_file(state: str | Path | None = None) -> Path:
    """The console chat's line history."""
    return state_dir(state) / "history"


def sync_state_file(state: str | Path | None = None) -> Path:
    """The fingerprint of the slash commands last synced to Discord."""
    return state_dir(state) / "discord-commands.json"


FEEDBACK_DB = "feedback.sqlite3"


def feedback_db(data: str | Path | None = None) -> Path:
    """The asks and votes `article-qa report` reads (`--db PATH` chooses another)."""
    return data_dir(data) / FEEDBACK_DB


def salt_file(data: str | Path | None = None) -> Path:
    """The install's salt for hashing Discord user ids: made once, never shared."""
    return data_dir(data) / "voter-salt"


def index_dir(corpus: str | Path, override: str | Path | None = None) -> Path:
    """Where the archive index of the folder `corpus` lives: `--index-dir`, else a
    directory per folder (by its absolute path) under the cache directory."""
    chosen = _chosen(override)
    if chosen:
        return chosen
    digest = hashlib.sha256(str(Path(corpus).resolve()).encode("utf-8", "surrogatepass"))
    return cache_dir() / "archives" / digest.hexdigest()[:16]
