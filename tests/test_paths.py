"""Where files live between runs: the platform's directories, the environment, overrides."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import paths


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A home with no XDG variable and no cache override set."""
    for name in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(paths.CACHE_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG layout is Linux's")
def test_defaults_follow_the_xdg_layout(home: Path) -> None:
    assert paths.state_dir() == home / ".local" / "state" / "article-qa"
    assert paths.cache_dir() == home / ".cache" / "article-qa"
    assert paths.data_dir() == home / ".local" / "share" / "article-qa"
    assert paths.config_dir() == home / ".config" / "article-qa"
    assert paths.history_file() == home / ".local" / "state" / "article-qa" / "history"
    assert paths.sync_state_file() == (
        home / ".local" / "state" / "article-qa" / "discord-commands.json"
    )


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG layout is Linux's")
def test_xdg_variables_move_each_directory(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.state_dir() == tmp_path / "state" / "article-qa"
    assert paths.sync_state_file() == tmp_path / "state" / "article-qa" / "discord-commands.json"
    assert paths.cache_dir() == tmp_path / "xdg" / "article-qa"


def test_the_cache_variable_then_an_option_override_the_cache_dir(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(paths.CACHE_DIR_VARIABLE, str(tmp_path / "explicit"))
    assert paths.cache_dir() == tmp_path / "explicit"
    assert paths.cache_dir(tmp_path / "option") == tmp_path / "option"


def test_overrides_win_and_expand_the_home(home: Path, tmp_path: Path) -> None:
    assert paths.state_dir(tmp_path / "s") == tmp_path / "s"
    assert paths.history_file(tmp_path / "s") == tmp_path / "s" / "history"
    assert paths.data_dir(tmp_path / "d") == tmp_path / "d"
    assert paths.config_dir("~/conf") == home / "conf"
