"""Benchmarks run with `make bench` (pytest-benchmark); figures go into docs/benchmarks.md."""
