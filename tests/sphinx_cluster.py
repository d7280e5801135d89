"""A Sphinx/Manticore cluster on localhost for tests and benchmarks: shard searchd processes
with one real-time index each, and an aggregator whose distributed index spans them.

Every process runs in the foreground (--nodetach) as a child of this one, on free ports in a
directory of its own, so stopping it needs only its Popen: nothing is looked up by name.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHARD_INDEX = "shard"
DISTRIBUTED_INDEX = "dist"
STARTUP_SECONDS = 20.0
# How long the aggregator waits for a shard: a shard slower than this is left out of the
# answer (with a warning), so a stopped shard costs a question this long at most.
AGENT_QUERY_TIMEOUT_MS = 1000
AGENT_CONNECT_TIMEOUT_MS = 300

SHARD_CONFIG = """\
index {index} {{
    type = rt
    path = {directory}/{index}
    rt_field = text
    rt_attr_string = article
    rt_attr_uint = paragraph
    rt_attr_uint = sentence
    rt_attr_uint = position
    rt_attr_uint = length
    rt_attr_bigint = terms_key
    rt_attr_uint = twins
    rt_attr_string = body
    index_field_lengths = 1
    dict = keywords
    rt_mem_limit = 256M
}}
"""

SEARCHD_CONFIG = """\
searchd {{
    {listen}
    log = {directory}/searchd.log
    query_log = {directory}/query.log
    pid_file = {directory}/searchd.pid
    binlog_path =
    workers = threads
}}
"""


def searchd_path() -> str | None:
    return shutil.which("searchd")


def searchd_version() -> str:
    """The first line of `searchd --help`: "Sphinx 2.2.11-id64-release (95ae9a6)"."""
    path = searchd_path()
    if path is None:
        return "not installed"
    done = subprocess.run([path, "--help"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0].strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Searchd:
    """One searchd process: its directory, ports and the running process."""

    name: str
    directory: Path
    sql_port: int
    api_port: int | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def config(self) -> Path:
        return self.directory / "sphinx.conf"

    def start(self) -> None:
        path = searchd_path()
        if path is None:
            raise RuntimeError("searchd is not installed")
        log = open(self.directory / "stdout.log", "ab")  # noqa: SIM115 (the child keeps it)
        self.process = subprocess.Popen(
            [path, "--config", str(self.config), "--nodetach"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: searchd exited: {self.log_tail()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.sql_port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name}: searchd did not listen in time: {self.log_tail()}")

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL) if it runs; waits for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused one cannot handle SIGTERM
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Die at once, as a crashed machine would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def pause(self) -> None:
        """Stop answering but keep the connections open: a shard too slow to wait for."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def log_tail(self) -> str:
        text = ""
        for name in ("stdout.log", "searchd.log"):
            with contextlib.suppress(OSError):
                text += (self.directory / name).read_text(errors="replace")
        return " ".join(text.split())[-600:]


@dataclass
class LocalCluster:
    shards: list[Searchd]
    aggregator: Searchd

    @property
    def shard_addresses(self) -> str:
        """The shards' RT indexes, as `article-qa index PATH --sphinx` takes them."""
        return ",".join(f"127.0.0.1:{s.sql_port}/{SHARD_INDEX}" for s in self.shards)

    @property
    def distributed(self) -> str:
        """The distributed index, as `article-qa ask --sphinx` takes it."""
        return f"127.0.0.1:{self.aggregator.sql_port}/{DISTRIBUTED_INDEX}"

    def stop(self) -> None:
        for process in (self.aggregator, *self.shards):
            process.stop()


def configure(root: Path, shards: int = 2) -> LocalCluster:
    """Write the configs of `shards` shards and an aggregator under `root` (not started)."""
    nodes = []
    for number in range(1, shards + 1):
        directory = root / f"shard{number}"
        directory.mkdir(parents=True)
        node = Searchd(f"shard{number}", directory, free_port(), free_port())
        listen = (
            f"listen = 127.0.0.1:{node.sql_port}:mysql41\n    listen = 127.0.0.1:{node.api_port}"
        )
        node.config.write_text(
            SHARD_CONFIG.format(index=SHARD_INDEX, directory=directory)
            + SEARCHD_CONFIG.format(listen=listen, directory=directory)
        )
        nodes.append(node)
    directory = root / "aggregator"
    directory.mkdir(parents=True)
    aggregator = Searchd("aggregator", directory, free_port())
    agents = "\n".join(f"    agent = 127.0.0.1:{n.api_port}:{SHARD_INDEX}" for n in nodes)
    aggregator.config.write_text(
        f"index {DISTRIBUTED_INDEX} {{\n    type = distributed\n{agents}\n"
        f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}\n"
        f"    agent_query_timeout = {AGENT_QUERY_TIMEOUT_MS}\n}}\n"
        + SEARCHD_CONFIG.format(
            listen=f"listen = 127.0.0.1:{aggregator.sql_port}:mysql41", directory=directory
        )
    )
    return LocalCluster(nodes, aggregator)


@contextlib.contextmanager
def running_cluster(root: Path, shards: int = 2) -> Iterator[LocalCluster]:
    """Two shards and an aggregator, running; always stopped on the way out."""
    cluster = configure(root, shards)
    try:
        for node in (*cluster.shards, cluster.aggregator):
            node.start()
        yield cluster
    finally:
        cluster.stop()
