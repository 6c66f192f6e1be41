"""Benchmarks: a synthetic office at scale, and the figures `python -m duban bench` prints."""
