"""The exit codes of every command, and the one place an interruption becomes one."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from types import FrameType

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments, or a corpus that cannot be used
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_TERMINATED = 143  # SIGTERM, likewise


class Terminated(BaseException):
    """SIGTERM, raised where the process is, as Ctrl-C raises KeyboardInterrupt: the code
    in flight unwinds (workers shut down, files written aside are removed)."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def stopping_cleanly(command: Callable[[], int]) -> int:
    """`command`'s exit code; Ctrl-C or SIGTERM at any moment of it ends it with one line
    and 130 or 143 instead of a traceback."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return command()
    except KeyboardInterrupt:
        print("article-qa: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("article-qa: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous)
