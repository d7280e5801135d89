"""Speed, start-up and memory of article-qa, with its peers measured side by side.

usage: python -m benchmarks.speed [--json] [--max-sentences N] [--corpus PATH]
                                  [--qa-sentences N] [--runtime-venv DIR | --no-runtime-venv]
(run from the repository root)

Sections, all measured in this run on the same questions and corpora:
  article     QA.ask latency over fixed questions beside a naive pipeline (rank-bm25
              BM25Okapi over whitespace tokens, get_scores + sort), and index build time.
  cold start  `article-qa ask` as a new process, beside `python -c pass`, in this
              interpreter's environment and in a runtime-only one (see below).
  memory      peak RSS of an idle bot made by create_bot() (QA.load() if there is no bot).
  bot loop    the longest the bot's event loop went unresponsive while it answered slash
              commands (driven offline through SimCord), on the article and a larger corpus.
  scale       synthetic Zipf corpora of 1k..1M sentences (--max-sentences caps them):
              build time, memory and query latency of the project's BM25Index, rank-bm25's
              full scan and bm25s, each in its own process; and whether the project's top 10
              equal rank-bm25's (with the same Lucene IDF, k1 and b) for every query.
  real text   QA.load on the article repeated with variation, without and with the corpus
              cache, and QA.ask latency there.

Why a runtime-only environment too: the `bench` extra installs bm25s, which pulls in scipy,
and nltk's package import loads scipy wherever it is installed unless the project hides it
(retrieval/nltk_lazy.py). A user's `pip install article-qa` has no scipy, so cold start and
memory are measured in a venv with only the runtime dependencies as well as in this one; by
default the script creates it once under the cache directory (`pip install -e` of this
checkout, so it runs this code).

Modules, one per section: article, startup (cold start and memory), bot_loop, index (scale),
realtext; common holds the shared helpers, targets the pass/fail checks, report the tables.
Measurements that need a fresh process re-run this package as
`python -m benchmarks.speed --worker KIND ...` from the repository root.
"""
