"""The performance targets, checked against a report: (target, measured, met)."""

from __future__ import annotations

from typing import Any

Check = tuple[str, str, bool | None]


def article_checks(article: dict[str, Any]) -> list[Check]:
    ask, naive = article["ask_p50_ms"], article["naive_p50_ms"]
    met = ask <= 0.3 and ask <= naive
    return [("QA.ask p50 <= 0.3 ms and <= naive", f"{ask} ms vs naive {naive} ms", met)]


def cold_start_checks(environments: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    for name, cold in environments.items():
        warm, idle = cold["ask_warm_cache_s"], cold["idle"]
        checks.append(
            (
                f"cold start <= 0.8 s ({name})",
                f"{warm} s (python -c pass {cold['python_pass_s']} s)",
                warm <= 0.8 and not cold["discord_imported"],
            )
        )
        checks.append(
            (
                f"idle RSS <= 150 MB ({name}, {idle['what']})",
                f"{idle['peak_rss_mb']} MB peak",
                idle["peak_rss_mb"] <= 150,
            )
        )
    return checks


def scale_checks(rows: list[dict[str, Any]]) -> list[Check]:
    checks: list[Check] = []
    for row in rows:
        project = row["project"]
        if row["sentences"] == 100_000:
            full = row.get("rank-bm25", {}).get("query_p50_ms")
            peer = row.get("bm25s", {}).get("query_p50_ms")
            ok = project["query_p50_ms"] <= 5 and project["build_s"] <= 10
            ok = ok and (full is None or full >= 10 * project["query_p50_ms"])
            ok = ok and (peer is None or project["query_p50_ms"] <= 1.5 * peer)
            checks.append(
                (
                    "100k: p50 <= 5 ms, >= 10x rank-bm25, <= 1.5x bm25s, build <= 10 s",
                    f"{project['query_p50_ms']} ms (rank-bm25 {full}, bm25s {peer}); "
                    f"build {project['build_s']} s",
                    ok,
                )
            )
        if "top10_equal_reference" in row:
            checks.append(
                (
                    f"{row['sentences']:,}: top 10 == rank-bm25 reference",
                    f"{row['top10_compared']} queries",
                    row["top10_equal_reference"],
                )
            )
    return checks


def stall_checks(report: dict[str, Any]) -> list[Check]:
    stalls = [b["loop_max_stall_ms"] for b in report["bot_loop"].values()]
    stalls += [row["project"]["loop_max_stall_ms"] for row in report["scale"]]
    if not stalls:
        return []
    return [("event loop stall <= 50 ms", f"max {max(stalls)} ms", max(stalls) <= 50)]


def targets(report: dict[str, Any]) -> list[Check]:
    return (
        article_checks(report["article"])
        + cold_start_checks(report["cold_start"])
        + scale_checks(report["scale"])
        + stall_checks(report)
    )
