"""Benchmarks: each prints its figures and ends with one `name/baseline ratio: N.NN` line."""
