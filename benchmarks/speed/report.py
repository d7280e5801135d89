"""The report as text tables: one function per section."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .common import COLD_QUESTION, SEED, K
from .index import TOP, ZIPF_EXPONENT, ZIPF_LENGTHS, ZIPF_QUERY_TERMS, ZIPF_VOCABULARY


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_machine(m: dict[str, Any]) -> None:
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}, numpy {m['numpy']}"
    )


def print_article(a: dict[str, Any]) -> None:
    print(
        f"\nArticle ({a['sentences']} sentences, {a['questions']} questions x "
        f"{a['samples'] // a['questions']} rounds, k={K}); QA.load {a['qa_load_ms']} ms "
        f"({a['qa_first_load_ms']} ms the first time, with imports), "
        f"index build {a['index_build_ms']} ms"
    )
    naive = "naive rank-bm25 (split + get_scores + sort)"
    rows = [
        ["QA.ask (words)", a["ask_p50_ms"], a["ask_p99_ms"]],
        ["QA.ask --semantic (words and meaning)", a["hybrid_p50_ms"], a["hybrid_p99_ms"]],
        [naive, a["naive_p50_ms"], a["naive_p99_ms"]],
    ]
    print(table(["pipeline", "p50 ms", "p99 ms"], rows))


def cold_start_row(name: str, c: dict[str, Any]) -> list[object]:
    idle = c["idle"]
    punkt = {True: "used", False: "not needed"}.get(c["punkt_used"], "?")
    return [
        name,
        c["python_pass_s"],
        c["ask_warm_cache_s"],
        c["ask_empty_cache_s"],
        c["ask_semantic_warm_cache_s"],
        f"{c['ask_peak_rss_mb']} / {c['ask_semantic_peak_rss_mb']}",
        "imported" if c["discord_imported"] else "no",
        "imported" if c["nltk_imported"] else "no",
        punkt,
        f"{idle['rss_mb']} ({idle['peak_rss_mb']}) {idle['what']}",
    ]


def print_cold_start(environments: dict[str, Any]) -> None:
    runs = next(iter(environments.values()))["runs"]
    print(
        f'\nCold start: `article-qa ask "{COLD_QUESTION}"`, median wall of '
        f"{runs} runs; idle memory of the bot"
    )
    headers = ["environment", "python -c pass s", "ask s (warm cache)", "ask s (empty cache)"]
    headers += ["ask --semantic s (warm)", "ask peak RSS MB (lexical / semantic)"]
    headers += ["discord", "nltk", "punkt", "idle RSS MB (peak)"]
    print(table(headers, [cold_start_row(name, c) for name, c in environments.items()]))


def print_bot_loop(corpora: dict[str, Any]) -> None:
    if not corpora:
        return
    print(
        "\nDiscord bot driven through SimCord (/ask slash commands; answering runs in "
        "the bot's worker thread)"
    )
    keys = ["sentences", "questions", "loop_max_stall_ms", "command_p50_ms", "ask_inline_max_ms"]
    headers = ["corpus", "sentences", "questions", "loop max stall ms", "command p50 ms"]
    rows = [[name, *(b[key] for key in keys)] for name, b in corpora.items()]
    print(table([*headers, "ask inline max ms"], rows))


def scale_rows(row: dict[str, Any]) -> list[list[object]]:
    checks = {
        "project": {True: "top10 == reference", False: "top10 DIFFERS"}.get(
            row.get("top10_equal_reference"), ""
        ),
        "rank-bm25": "",
        "bm25s": f"top10 overlap {row.get('bm25s_top10_overlap')}",
    }
    keys = ["build_s", "memory_mb", "query_p50_ms", "query_p99_ms", "queries"]
    return [
        [
            f"{row['sentences']:,}",
            system,
            *(s[key] for key in keys),
            s.get("loop_max_stall_ms", ""),
            check,
        ]
        for system, check in checks.items()
        if (s := row.get(system)) is not None
    ]


def print_scale(rows: list[dict[str, Any]]) -> None:
    print(
        f"\nScale: synthetic Zipf corpus (vocabulary {ZIPF_VOCABULARY:,}, exponent "
        f"{ZIPF_EXPONENT}, {ZIPF_LENGTHS[0]}-{ZIPF_LENGTHS[1]} terms per sentence, "
        f"{ZIPF_QUERY_TERMS}-term Zipf queries, seed {SEED}); top {TOP}; each system in its "
        "own process; memory = RSS retained by the built index"
    )
    headers = ["sentences", "system", "build s", "memory MB", "p50 ms", "p99 ms", "queries"]
    print(table([*headers, "loop stall ms", "check"], [r for row in rows for r in scale_rows(row)]))


def print_real_text(r: dict[str, Any]) -> None:
    if not r:
        return
    print(
        f"\nReal text: the article repeated with variation ({r['files']} files, "
        f"{r['sentences']:,} sentences), full QA, each load in a new process"
    )
    keys = ["load_no_cache_s", "load_filling_cache_s", "load_warm_cache_s", "ask_p50_ms"]
    keys += ["ask_p99_ms", "qa_memory_mb", "peak_rss_mb"]
    headers = ["QA.load no cache s", "filling cache s", "warm cache s", "ask p50 ms"]
    headers += ["ask p99 ms", "QA memory MB", "peak RSS MB"]
    print(table(headers, [[r[key] for key in keys]]))


def print_targets(checks: Sequence[Sequence[Any]]) -> None:
    print("\nTargets")
    met = {True: "yes", False: "NO", None: "-"}
    print(table(["target", "measured", "met"], [[n, v, met[ok]] for n, v, ok in checks]))


def print_report(report: dict[str, Any]) -> None:
    print_machine(report["machine"])
    print_article(report["article"])
    print_cold_start(report["cold_start"])
    print_bot_loop(report["bot_loop"])
    print_scale(report["scale"])
    print_real_text(report["real_text"])
    print_targets(report["targets"])
