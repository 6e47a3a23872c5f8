"""The one test toolkit: what the tests and the benchmarks share, each concept once.

Benchmarks import it; it imports the product and itself, never a test module
or a benchmark (lint-imports holds both). Its modules: `fixtures` (every
shared pytest fixture, loaded by tests/conftest.py), `waiting` (conditions
with deadlines), `http` (a local server), `receiver` (the webhook receiver),
`config` (the config writer), `process` (a worker process), `running`
(stages on a thread), `topics` (records in, a topic read to its end),
`quiet` (absence against offsets), `pages` and `site` (generated news and its
feeds), `extract` (entries in, articles out), `prometheus`.
"""
