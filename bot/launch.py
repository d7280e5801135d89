"""The `article-qa` entry point: starts what can run ahead of the imports, then the CLI."""

from __future__ import annotations

import sys

from .scan_ahead import scan_ahead_for


def main() -> int:
    # Before importing the CLI: the child forked here costs a few milliseconds, not the
    # imports' memory, and walks an archive's folder while they happen.
    ahead = scan_ahead_for(sys.argv[1:])
    try:
        from .cli import main as cli_main

        return cli_main(scan_ahead=ahead)
    finally:
        if ahead is not None:
            ahead.close()
