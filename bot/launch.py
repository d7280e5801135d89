"""The `article-qa` entry point: starts what can run ahead of the imports, then the CLI."""

from __future__ import annotations

import sys

from .exits import stopping_cleanly
from .scan_ahead import scan_ahead_for


def main() -> int:
    # Before importing the CLI: the child forked here costs a few milliseconds, not the
    # imports' memory, and walks an archive's folder while they happen.
    ahead = scan_ahead_for(sys.argv[1:])

    def command() -> int:
        from .cli import main as cli_main

        return cli_main(scan_ahead=ahead)

    try:
        return stopping_cleanly(command)
    finally:
        if ahead is not None:
            ahead.close()
