"""Question to reply: the query, BM25 retrievers, expansion, the reranker and `QA`."""
