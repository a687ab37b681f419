"""Harbour's benchmarks: not tests. `python -m bench run --help`, `make bench`,
docs/performance.md."""
