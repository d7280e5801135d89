"""The on-disk index of a folder of articles: build and refresh it, open it, answer from it."""
