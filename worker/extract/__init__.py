"""The extract stage: fetch each entry's page, extract its article with trafilatura, fall back to the feed.

`extract_html` is the pure extraction (also used offline by `newswatch match`);
`build_article` applies the fallback rules; `extract_stage` is the consumer
stage `newswatch run` starts.
"""

from worker.extract.extract import Extraction, extract_html
from worker.extract.fallback import FALLBACK_REASONS, Failure, FallbackReason, build_article
from worker.extract.stage import ExtractCore, extract_stage

__all__ = [
    "FALLBACK_REASONS",
    "ExtractCore",
    "Extraction",
    "Failure",
    "FallbackReason",
    "build_article",
    "extract_html",
    "extract_stage",
]
