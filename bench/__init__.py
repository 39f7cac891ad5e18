"""Lifted's benchmarks: `make bench`."""
