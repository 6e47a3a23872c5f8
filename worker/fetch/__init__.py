"""Fetch: scheduled polls of RSS, Atom and JSON feeds; new entries go to the entries topic."""

from worker.fetch.stage import FetchStage
from worker.fetch.status import print_status

__all__ = ["FetchStage", "print_status"]
