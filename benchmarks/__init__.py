"""Measurement scripts: `python -m benchmarks.speed`, `python benchmarks/wikiqa.py`, ..."""
