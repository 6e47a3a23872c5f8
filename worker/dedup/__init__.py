"""Dedup: one story per set of near-identical articles, one alert per story and route (`claims`)."""
