"""A two-shard Sphinx cluster on localhost answers as the local index does (issue 16).

The cluster tests need `searchd` (apt-get install sphinxsearch; .ci/run installs it) and
skip, saying so, without it. Every searchd runs as a child of the test, on free ports in a
temporary directory, and is stopped when its fixture ends, whatever the outcome.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx_cluster import LocalCluster, free_port, running_cluster, searchd_path
from test_archive import write_corpus

from bot.cli import main
from bot.discord import run as discord_run
from bot.process import ARCHIVE_FILES, load_corpus, wants_archive
from retrieval import QA
from retrieval.cluster import retriever as sphinx
from retrieval.cluster.address import parse_addresses
from retrieval.cluster.connection import ClusterError, Connection
from retrieval.cluster.retriever import (
    SphinxRetriever,
    connect,
    document_id,
    engine_token,
    shard_of,
)
from retrieval.cluster.writer import write_shards
from retrieval.ranking import query as queries
from retrieval.text.articles import bundled_article_path

needs_searchd = pytest.mark.skipif(
    searchd_path() is None, reason="searchd is not installed (apt-get install sphinxsearch)"
)
ARTICLE = str(bundled_article_path())
ARTICLE_QUESTIONS = [
    json.loads(line)["question"]
    for line in (Path(__file__).parent / "data/sanctuary-questions.jsonl").read_text().splitlines()
    if line.strip() and "question" in json.loads(line)
]


def write_archive(root: Path, articles: int = 60, seed: int = 16) -> tuple[Path, list[str]]:
    """Articles of made-up sentences (no two alike: a tie between copies of one sentence
    is broken by position, which a cluster cannot see across shards), and questions on
    them. Words with accents and numbers with dots exercise the engine words' digests."""
    rng = random.Random(seed)
    article = Path(ARTICLE).read_text(encoding="utf-8")
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", article)})
    words += ["café", "naïve", "zürich", "4.1", "3.25", "o'neill", "señora"]
    root.mkdir(parents=True)
    questions = []
    for number in range(articles):
        paragraphs = []
        for _ in range(3):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                chosen = rng.choices(words, k=rng.randint(5, 16))
                sentences.append(" ".join(chosen).capitalize() + ".")
                if rng.random() < 0.05:
                    questions.append(f"What about {' '.join(rng.sample(chosen, 3))}?")
            paragraphs.append(" ".join(sentences))
        text = f"Report {number}\n\n" + "\n\n".join(paragraphs) + "\n"
        (root / f"report-{number:03d}.txt").write_text(text, encoding="utf-8")
    return root, questions


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    if searchd_path() is None:
        pytest.skip("searchd is not installed (apt-get install sphinxsearch)")
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    """A cluster of the test's own, for tests that kill or pause a shard."""
    if searchd_path() is None:
        pytest.skip("searchd is not installed (apt-get install sphinxsearch)")
    with running_cluster(tmp_path / "cluster") as running:
        yield running


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return write_archive(tmp_path_factory.mktemp("archive") / "reports")


def index_into(cluster: LocalCluster, path: str | Path, index_dir: Path, capsys) -> dict:
    args = ["index", str(path), "--index-dir", str(index_dir), "--json"]
    assert main([*args, "--sphinx", cluster.shard_addresses]) == 0
    return json.loads(capsys.readouterr().out)


def count(cluster: LocalCluster, address: str | None = None) -> int:
    connection = Connection(parse_addresses(address or cluster.distributed)[0])
    try:
        (rows,) = connection.run(f"SELECT COUNT(*) FROM {connection.address.index}")
        return int(rows[0][0])
    finally:
        connection.close()


def through(cluster: LocalCluster, local: QA, warnings: list[str] | None = None) -> QA:
    said = warnings if warnings is not None else []
    address = parse_addresses(cluster.distributed)[0]
    return QA(
        local.corpus,
        connect(local.corpus, address, said.append),
        local.model,
        vectors=local.vectors,
    )


def assert_same_answers(local: QA, remote: QA, questions: list[str]) -> None:
    assert questions
    for question in questions:
        query = queries.build(question, local.vocabulary)
        # What the reranker sees: the same sentences with the same scores, bit for bit.
        assert remote.retriever.search(query.weights, 15) == local.retriever.search(
            query.weights, 15
        ), question
        assert remote.ask(question, k=5) == local.ask(question, k=5), question


@needs_searchd
def test_the_article_through_the_cluster_answers_as_the_local_index(cluster, tmp_path, capsys):
    summary = index_into(cluster, ARTICLE, tmp_path / "index", capsys)
    local = QA.load()
    assert summary["sentences"] == len(local.sentences) == count(cluster) == 26
    warnings: list[str] = []
    remote = through(cluster, local, warnings)
    assert_same_answers(local, remote, ARTICLE_QUESTIONS)
    # A sequence of terms counts a repeated one again, as the local retrievers do.
    terms = ["sheriff", "sheriff", "counti", "hernandez"]
    assert remote.retriever.search(terms, 10) == local.retriever.search(terms, 10)
    assert warnings == []
    # The command line: the same JSON replies, and nothing on stderr.
    questions = ["Who is the sheriff of Travis County?", "What is the capital of France?"]
    assert main(["ask", "--no-log", "--json", *questions]) == 0
    expected = capsys.readouterr().out
    assert main(["ask", "--no-log", "--json", "--sphinx", cluster.distributed, *questions]) == 0
    assert capsys.readouterr() == (expected, "")


@needs_searchd
def test_a_cluster_holding_another_corpus_is_said_once_and_its_sentences_left_out(
    cluster, tmp_path, capsys
):
    index_into(cluster, ARTICLE, tmp_path / "index", capsys)
    other = QA.from_sentences(["The sheriff of Travis County spoke.", "Rain fell in Austin."])
    warnings: list[str] = []
    remote = through(cluster, other, warnings)
    assert warnings == [
        f"{cluster.distributed} holds 26 sentences, the corpus 2: index the corpus into the "
        "shards again (article-qa index PATH --sphinx SHARDS)"
    ]
    # The engine's best sentences about the sheriff are the article's, not this corpus's.
    assert remote.retriever.search(["sheriff"], 5) == []
    assert remote.retriever.search(["sheriff"], 5) == []
    assert warnings[1:] == [
        f"{cluster.distributed} holds sentences the corpus does not: index the corpus into "
        "the shards again (article-qa index PATH --sphinx SHARDS)"
    ]


@needs_searchd
def test_an_archive_through_the_cluster_answers_as_the_local_index(
    cluster, archive, tmp_path, capsys
):
    folder, questions = archive
    assert wants_archive(folder) and len(questions) >= 20
    index_dir = tmp_path / "index"
    summary = index_into(cluster, folder, index_dir, capsys)
    local = load_corpus(str(folder), index_dir=str(index_dir))
    assert local is not None
    assert summary["sentences"] == len(local.sentences) == count(cluster)
    # Whole articles to one shard, chosen by the slug's hash: both shards hold some.
    shards = [
        count(cluster, f"127.0.0.1:{node.sql_port}/shard") for node in cluster.shards
    ]  # fmt: skip
    expected = [0, 0]
    for s in local.sentences:
        expected[shard_of(s.article, 2)] += 1
    assert shards == expected == [s["sentences"] for s in summary["shards"]]
    assert min(shards) > 0
    assert_same_answers(local, through(cluster, local), questions)


@needs_searchd
def test_an_archive_of_copied_paragraphs_cites_the_earliest_copies_as_the_local_index(
    cluster, tmp_path, capsys, monkeypatch
):
    # Every paragraph is in many articles, in both shards: equal scores everywhere, which
    # the local index breaks by position and each shard weighs with its own IDFs. With
    # candidates fewer than a sentence's copies, the earliest must be looked up.
    monkeypatch.setattr(sphinx, "MIN_CANDIDATES", 16)
    monkeypatch.setattr(sphinx, "CANDIDATES_PER_HIT", 1)
    folder = write_corpus(tmp_path / "copies", articles=ARCHIVE_FILES + 1)
    index_dir = tmp_path / "index"
    index_into(cluster, folder, index_dir, capsys)
    local = load_corpus(str(folder), index_dir=str(index_dir))
    assert local is not None and wants_archive(folder)
    texts = [s.text for s in local.sentences]
    assert len(set(texts)) < len(texts) / 5
    warnings: list[str] = []
    assert_same_answers(local, through(cluster, local, warnings), ARTICLE_QUESTIONS)
    assert warnings == []


@needs_searchd
def test_indexing_twice_replaces_and_a_shorter_article_loses_its_sentences(
    cluster, archive, tmp_path, capsys
):
    folder, _ = archive
    copy = tmp_path / "reports"
    copy.mkdir()
    for file in sorted(folder.iterdir())[:5]:
        (copy / file.name).write_bytes(file.read_bytes())
    first = index_into(cluster, copy, tmp_path / "index", capsys)
    total = first["sentences"]
    # Whatever the cluster held before (another test's corpus) is gone.
    assert count(cluster) == total
    again = index_into(cluster, copy, tmp_path / "index", capsys)
    assert again["sentences"] == total == count(cluster)
    assert [s["removed"] for s in again["shards"]] == [0, 0]
    # An article cut to its first paragraph: its other sentences leave the cluster.
    before = load_corpus(str(copy))
    assert before is not None
    gone = sum(s.article == "report-000" and s.paragraph > 1 for s in before.sentences)
    report = copy / "report-000.txt"
    title, first_paragraph, *_ = report.read_text(encoding="utf-8").split("\n\n")
    report.write_text(f"{title}\n\n{first_paragraph}\n", encoding="utf-8")
    cut = index_into(cluster, copy, tmp_path / "index", capsys)
    assert cut["sentences"] == total - gone == count(cluster)
    assert sum(s["removed"] for s in cut["shards"]) == gone > 0
    # Progress: each of the 5 articles once analysed, once written; sentences so far.
    calls: list[tuple[int, int, int]] = []
    after = load_corpus(str(copy))
    assert after is not None
    shards = parse_addresses(cluster.shard_addresses)
    summary = write_shards(after.corpus, shards, lambda *done: calls.append(done))
    assert [(done, of) for done, of, _ in calls] == [(n, 10) for n in range(1, 11)]
    starts = [doc for doc, s in enumerate(after.sentences) if s.paragraph == s.sentence == 1]
    assert [sentences for _, _, sentences in calls] == [*starts[1:], total - gone] * 2
    assert summary.sentences == total - gone and summary.shards[0].removed == 0


@needs_searchd
def test_a_shard_killed_mid_run_leaves_answers_from_the_other_and_one_warning(
    own_cluster, archive, tmp_path, capsys
):
    folder, questions = archive
    index_dir = tmp_path / "index"
    index_into(own_cluster, folder, index_dir, capsys)
    local = load_corpus(str(folder), index_dir=str(index_dir))
    assert local is not None
    warnings: list[str] = []
    remote = through(own_cluster, local, warnings)
    assert remote.ask(questions[0]) == local.ask(questions[0])
    own_cluster.shards[0].kill()
    answered = [remote.ask(q) for q in questions]
    assert len(warnings) == 1, warnings
    assert "answering from the shards that answered" in warnings[0]
    assert "connect() failed" in warnings[0] and "\n" not in warnings[0]
    # Every answer comes from the surviving shard's articles, and most questions have one.
    cited = [a for reply in answered for a in reply.answers]
    assert cited and {shard_of(a.article, 2) for a in cited} == {1}
    assert sum(not reply.abstained for reply in answered) >= len(questions) // 3


@needs_searchd
def test_a_stalled_shard_is_waited_for_no_longer_than_its_timeout(
    own_cluster, archive, tmp_path, capsys
):
    folder, questions = archive
    index_into(own_cluster, folder, tmp_path / "index", capsys)
    own_cluster.shards[1].pause()
    try:
        ask = [*_cli(), "ask", "--no-log", "--json", "--corpus", str(folder)]
        ask += ["--index-dir", str(tmp_path / "index"), "--sphinx", own_cluster.distributed]
        done = subprocess.run(
            [*ask, *questions[:3]],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        own_cluster.shards[1].resume()
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == 3
    cited = [a for reply in replies for a in reply["answers"]]
    assert cited and {shard_of(a["article"], 2) for a in cited} == {0}
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("article-qa: 127.0.0.1:"), done.stderr
    assert "timed out" in lines[0] or "timeout" in lines[0]


@needs_searchd
def test_a_distributed_index_is_not_a_shard_to_write_into(cluster, tmp_path, capsys):
    args = ["index", ARTICLE, "--index-dir", str(tmp_path / "index")]
    assert main([*args, "--sphinx", cluster.distributed]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"article-qa: {cluster.distributed}: not a shard of this corpus: it ")
    assert len(err.splitlines()) == 1


@needs_searchd
def test_the_discord_bot_retrieves_through_the_cluster(cluster, tmp_path, capsys, monkeypatch):
    index_into(cluster, ARTICLE, tmp_path / "index", capsys)
    served = []

    async def serve(bot: object, token: str, source: str) -> int:
        served.append(bot)
        return 0

    monkeypatch.setattr(discord_run, "serve", serve)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-to-be-printed")
    argv = ["discord", "--sphinx", cluster.distributed, "--shard-count", "2", "--shard-ids", "1"]
    assert main(argv) == 0
    (bot,) = served
    qa = bot.article.qa  # type: ignore[attr-defined]
    assert isinstance(qa.retriever, SphinxRetriever)
    assert qa.ask("Who is the sheriff?") == QA.load().ask("Who is the sheriff?")
    qa.retriever.close()


@needs_searchd
def test_an_aggregator_gone_mid_run_ends_the_command_with_one_line_and_exit_2(
    own_cluster, tmp_path, capsys, monkeypatch
):
    index_into(own_cluster, ARTICLE, tmp_path / "index", capsys)
    remote = through(own_cluster, QA.load())
    assert not remote.ask("Who is the sheriff?").abstained
    own_cluster.aggregator.stop()
    with pytest.raises(ClusterError) as raised:
        remote.ask("Who is the sheriff?")
    assert str(raised.value).startswith(f"{own_cluster.distributed}: cannot connect (")
    # The command line: the loaded QA's next question fails the same way.
    monkeypatch.setattr("bot.cli.load_corpus", lambda *args, **kwargs: remote)
    assert main(["ask", "--no-log", "Who is the sheriff?"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"article-qa: {raised.value}\n"


def test_an_unreachable_aggregator_is_one_line_and_exit_2():
    pytest.importorskip("pymysql")
    port = free_port()  # nothing listens there
    done = subprocess.run(
        [*_cli(), "ask", "--no-log", "--sphinx", f"127.0.0.1:{port}/dist", "Who is the sheriff?"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"article-qa: 127.0.0.1:{port}/dist: cannot connect (")
    assert len(done.stderr.splitlines()) == 1


def test_a_missing_client_library_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymysql", None)
    with pytest.raises(ClusterError, match=r"pip install 'article-qa\[cluster\]'"):
        Connection(parse_addresses("127.0.0.1:9306/dist")[0])


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["ask", "--sphinx", "localhost/dist", "q"], "not HOST:PORT/INDEX: 'localhost/dist'"),
        (["ask", "--sphinx", "h:9306/a,h:9307/b", "q"], "--sphinx takes one distributed index"),
        (["index", ARTICLE, "--sphinx", "h:9306/a,h:9306/a"], "the same HOST:PORT/INDEX is"),
        (["chat", "--sphinx", "h:70000/a"], "not HOST:PORT/INDEX: 'h:70000/a'"),
    ],
)
def test_bad_sphinx_addresses_are_usage_errors(argv, error, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert error in capsys.readouterr().err


@given(st.text(min_size=1, max_size=80))
def test_every_term_is_one_engine_word_of_the_default_charset(term):
    token = engine_token(term)
    assert re.fullmatch(r"[a-z0-9_]{1,41}", token)
    assert token == engine_token(term)
    assert (token == term) == (re.fullmatch(r"[a-z0-9]{1,40}", term) is not None)


def test_document_ids_and_shards_are_stable_across_runs():
    # Fixed values: a change of hash would duplicate every sentence of a cluster on the
    # next `index` (new ids) or move articles between shards.
    assert document_id("harbour", 2, 1) == 6672603214704730795
    assert len({document_id("a", p, s) for p in range(1, 30) for s in range(1, 30)}) == 29 * 29
    assert [shard_of(f"report-{n:03d}", 2) for n in range(8)] == [1, 0, 0, 1, 0, 1, 0, 1]


def _cli() -> list[str]:
    return [sys.executable, "-m", "bot"]
