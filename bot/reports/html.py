"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network.

Meant to be mailed or opened from disk on a phone: one column, system fonts, nothing
fetched. The article's paragraphs are drawn as a heat strip (one cell per paragraph, darker
where more answers came from) above the paragraphs themselves, each marked the same way.
"""

from __future__ import annotations

from html import escape

from retrieval import QA

from .report import Report, iso_time, percent

# SVG attributes take plain colours (CSS variables work only in style sheets).
UP, DOWN, MUTED, EMPTY = "#2e7d4f", "#b3392f", "#5b6575", "#eef0f3"
HEAT = (59, 110, 165)

CSS = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #dde2ea;
  --down: #b3392f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f7f9; }
main { max-width: 760px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 28px 0 8px; }
.muted { color: var(--muted); font-size: .9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 8px;
  margin-top: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
.card b { display: block; font-size: 1.5rem; }
ol, ul { padding-left: 0; list-style: none; margin: 0; }
li.item { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px;
  margin-bottom: 6px; overflow-wrap: anywhere; }
.count { float: right; font-weight: 600; margin-left: 8px; }
.also { color: var(--muted); font-size: .9rem; }
blockquote { margin: 6px 0 0; padding-left: 10px; border-left: 3px solid var(--down);
  color: var(--muted); font-size: .9rem; }
.strip { margin: 8px 0 12px; }
cite { font-style: normal; font-family: ui-monospace, monospace; font-size: .85rem; }
svg { display: block; width: 100%; height: auto; }
.para { background: #fff; border: 1px solid var(--line); border-left-width: 8px;
  border-radius: 6px; padding: 6px 10px; margin-bottom: 6px; font-size: .92rem; }
.para .n { font-weight: 600; margin-right: 6px; }
"""


def _heat(count: int, top: int) -> str:
    share = count / top if top else 0.0
    red, green, blue = HEAT
    return f"rgba({red}, {green}, {blue}, {0.12 + 0.88 * share:.2f})" if count else EMPTY


def _answers(count: int) -> str:
    return f"{count} answer" + ("" if count == 1 else "s")


def _cards(report: Report) -> str:
    asked = report.asks or None
    cards = [
        (str(report.asks), "questions asked"),
        (percent(report.abstained / asked if asked else None), "not answered"),
        (percent(report.helpful), "helpful (of votes)"),
        (f"{report.votes_up} / {report.votes_down}", "votes up / down"),
    ]
    return "".join(f'<div class="card"><b>{v}</b>{escape(k)}</div>' for v, k in cards)


def _unanswered(report: Report) -> str:
    if not report.unanswered:
        return '<p class="muted">None: the article answered every question.</p>'
    items = []
    for group in report.unanswered[:20]:
        also = "".join(f'<div class="also">also: {escape(o)}</div>' for o in group.others)
        items.append(
            f'<li class="item"><span class="count">{group.count}\u00d7</span>'
            f"{escape(group.question)}{also}"
            f'<div class="also">last {iso_time(group.last)[:16].replace("T", " ")}</div></li>'
        )
    return f"<ol>{''.join(items)}</ol>"


def _down_voted(report: Report) -> str:
    if not report.down_voted:
        return '<p class="muted">None.</p>'
    items = [
        f'<li class="item"><span class="count" style="color:var(--down)">{d.down} \u2193</span>'
        f"{escape(d.question)}<blockquote>{escape(d.text)} <cite>{escape(d.citation)}</cite>"
        f"</blockquote></li>"
        for d in report.down_voted[:15]
    ]
    return f"<ul>{''.join(items)}</ul>"


def _days(report: Report) -> str:
    """Votes per day as stacked bars (up over down), the helpful rate written under each."""
    days = report.days[-31:]
    if not days:
        return '<p class="muted">No questions yet.</p>'
    width, height, gap = 600, 120, 4
    # At most 48 units a bar: one day is a bar, not a wall.
    bar = min(48.0, (width - gap * (len(days) - 1)) / len(days))
    top = max((d.up + d.down for d in days), default=0) or 1
    parts = []
    for n, day in enumerate(days):
        x = n * (bar + gap)
        up, down = height * day.up / top, height * day.down / top
        label = f"{day.day}: {day.up} up, {day.down} down, {percent(day.helpful)} helpful"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<rect x="{x:.1f}" y="{height - up - down:.1f}" width="{bar:.1f}" height="{up:.1f}" '
            f'fill="{UP}"/><rect x="{x:.1f}" y="{height - down:.1f}" width="{bar:.1f}" '
            f'height="{down:.1f}" fill="{DOWN}"/>'
            f'<text x="{x + bar / 2:.1f}" y="{height + 16}" font-size="18" text-anchor="middle" '
            f'fill="{MUTED}">{percent(day.helpful)}</text>'
            + (
                f'<text x="{x + bar / 2:.1f}" y="{height + 40}" font-size="16" '
                f'text-anchor="middle" fill="{MUTED}">{day.day[5:]}</text>'
                if len(days) <= 14 or n % 7 == 0
                else ""
            )
            + "</g>"
        )
    svg = (
        f'<svg viewBox="0 0 {width} {height + 46}" role="img" aria-label="votes per day">'
        f"{''.join(parts)}</svg>"
    )
    rows = "".join(
        f"<li>{day.day}: {day.asks} asks, {day.abstained} not answered, "
        f"{percent(day.helpful)} helpful ({day.up} up, {day.down} down)</li>"
        for day in days[-7:]
    )
    return f'{svg}<ul class="muted">{rows}</ul>'


def _heat_strip(report: Report, qa: QA) -> str:
    used = {(p.article, p.paragraph): p.count for p in report.paragraphs}
    top = max(used.values(), default=0)
    sections = []
    for article in qa.articles:
        paragraphs = article.paragraphs
        cell = 600 / max(1, len(paragraphs))
        cells = "".join(
            f'<rect x="{n * cell:.1f}" y="0" width="{cell - 2:.1f}" height="28" rx="3" '
            f'fill="{_heat(used.get((article.slug, p.number), 0), top)}">'
            f"<title>\u00b6{p.number}: {_answers(used.get((article.slug, p.number), 0))}"
            f"</title></rect>"
            f'<text x="{n * cell + cell / 2 - 1:.1f}" y="46" font-size="13" '
            f'text-anchor="middle" fill="{MUTED}">{p.number}</text>'
            for n, p in enumerate(paragraphs)
        )
        strip = (
            f'<svg class="strip" viewBox="0 0 600 52" role="img" '
            f'aria-label="answers per paragraph">{cells}</svg>'
        )
        blocks = "".join(
            f'<div class="para" style="border-left-color:'
            f'{_heat(used.get((article.slug, p.number), 0), top)}"><span class="n">'
            f'\u00b6{p.number}</span><span class="muted">'
            f"{_answers(used.get((article.slug, p.number), 0))}</span><br>{escape(p.text)}</div>"
            for p in paragraphs
        )
        sections.append(f"<h3>{escape(article.title)}</h3>{strip}<div>{blocks}</div>")
    return "".join(sections)


def report_html(report: Report, qa: QA, every_corpus: bool = False) -> str:
    """The page: headed by the corpus it covers, or by "every corpus" (the heat strip is
    then the given corpus's)."""
    span = f"since {report.since}" if report.since else "everything on record"
    covers = "every corpus on record" if every_corpus else qa.title
    title = f"article-qa report: {covers}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body><main>
<h1>What readers asked</h1>
<p class="muted">{escape(covers)} \u00b7 {escape(span)} \u00b7 times UTC</p>
<div class="cards">{_cards(report)}</div>
<h2 id="unanswered">Questions the article could not answer</h2>
<p class="muted">Grouped by shared words, most recent first.</p>
{_unanswered(report)}
<h2 id="days">Helpful rate per day</h2>
{_days(report)}
<h2 id="down">Answers voted down</h2>
{_down_voted(report)}
<h2 id="paragraphs">Which paragraphs answer</h2>
<p class="muted">Darker: more answers led with a sentence of that paragraph.</p>
{_heat_strip(report, qa)}
</main></body></html>
"""
