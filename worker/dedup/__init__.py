"""Dedup: one story per set of near-identical articles, one alert per story and route."""

from worker.dedup.claims import Deduplicator

__all__ = ["Deduplicator"]
