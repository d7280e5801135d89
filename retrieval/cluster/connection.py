"""One SphinxQL connection (the MySQL protocol, through pymysql), its failures as one line."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Any

from ..ranking.index import RetrieverUnavailable
from .address import Address

# Seconds to reach the aggregator, and to wait for its answer (it waits for slow shards
# only as long as its agent_query_timeout).
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 20.0


class ClusterError(RetrieverUnavailable):
    """The cluster cannot be used: its message is one line for the user."""


class Connection:
    """One SphinxQL connection, reconnected once when it dropped; errors as ClusterError."""

    def __init__(self, address: Address):
        try:
            import pymysql
        except ImportError:
            raise ClusterError(
                "the cluster backend needs pymysql: pip install 'article-qa[cluster]'"
            ) from None
        self.address = address
        self._pymysql = pymysql
        self._connection: Any = None
        self._lock = threading.Lock()  # the Discord bot asks from worker threads

    def _connect(self) -> Any:
        pymysql = self._pymysql
        try:
            return pymysql.connect(
                host=self.address.host,
                port=self.address.port,
                connect_timeout=CONNECT_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                write_timeout=READ_TIMEOUT,
                autocommit=True,
                charset="utf8",
                client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
            )
        except pymysql.MySQLError as error:
            raise ClusterError(f"{self.address}: cannot connect ({_reason(error)})") from None

    def run(self, sql: str, args: Sequence[object] | None = None) -> list[list[tuple[Any, ...]]]:
        """The rows of each statement of `sql` (a batch separated by ';')."""
        with self._lock:
            for attempt in (1, 2):
                if self._connection is None:
                    self._connection = self._connect()
                try:
                    return _results(self._connection, sql, args)
                except self._pymysql.OperationalError as error:
                    # A dropped connection (the aggregator restarted) is worth one retry.
                    self.close_unlocked()
                    if attempt == 2 or error.args[0] not in _CONNECTION_LOST:
                        raise ClusterError(f"{self.address}: {_reason(error)}") from None
                except self._pymysql.MySQLError as error:
                    raise ClusterError(f"{self.address}: {_reason(error)}") from None
        raise AssertionError("unreachable")

    def close_unlocked(self) -> None:
        if self._connection is not None:
            # Closing a broken connection may fail again: it is gone either way.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    def close(self) -> None:
        with self._lock:
            self.close_unlocked()


# MySQL client errors for a connection that went away: server gone, lost, cannot connect.
_CONNECTION_LOST = {2003, 2006, 2013}


def _results(connection: Any, sql: str, args: Sequence[object] | None) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        results = [list(cursor.fetchall())]
        while cursor.nextset():
            results.append(list(cursor.fetchall()))
    return results


def _reason(error: Exception) -> str:
    """A pymysql error's message, on one line, without the error number."""
    message = str(error.args[1] if len(error.args) > 1 else error)
    return " ".join(message.split()) or type(error).__name__
