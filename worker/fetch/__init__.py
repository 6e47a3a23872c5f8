"""Fetch: scheduled polls of RSS, Atom and JSON feeds; new entries go to the entries topic.

The stage is `worker.fetch.stage`; the package imports none of its modules, so
`newswatch feeds status` loads no scheduler and no stage.
"""
