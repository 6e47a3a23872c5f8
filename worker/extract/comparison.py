"""When trafilatura's comparison with readability and jusText runs: only where it can change the text.

After its own extraction, trafilatura (unless told `fast`) copies the whole
page, prunes the copy with its discard XPaths, runs readability-lxml on it,
and runs jusText as well when its own text is short or holds page furniture
(`<aside>`, `<figure>`, `<nav>`...). It then keeps its own text unless that
text is empty or short, has no paragraph text, is mostly tables, holds such
furniture, or readability found more than twice as much. On the extract
benchmark's pages that comparison is two fifths of an extraction (10.6
against 18.2 ms a page with it skipped), and on long, clean articles it
keeps trafilatura's text every time.

So the comparison is skipped, for our extraction only, when the precise text
is at least `LONG_FACTOR` times trafilatura's minimum extracted size (its
own threshold for skipping it in recall mode; 2,500 characters by default),
holds paragraph text, is not mostly tables and holds none of that
furniture: there only readability
finding twice the text could change the result, and our own rescues watch
for lost text (the recall pass for lost passages and short texts, see
`worker.extract.extract`). Measured with and without the gate: the same text
on all 100 pages of the English news corpus, the 19 pages of the
multilingual one and 120 of the extract benchmark's pages; extraction 42%
cheaper on the last, 10% on the news pages, 7% on the multilingual ones
(most real pages fail one of the conditions).

trafilatura looks the comparison up by name in `trafilatura.core` at each
call; the gate replaces that name with a wrapper that does the full
comparison unless a `gated` block of this thread asked for the gate, so
trafilatura called by anyone else (the benchmarks' baselines) is untouched.
If trafilatura is not laid out as expected, nothing is replaced and every
extraction runs the full comparison.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

import trafilatura.core
from lxml.etree import _Element
from trafilatura.external import SANITIZED_XPATH

LONG_FACTOR = 10  # of trafilatura's MIN_EXTRACTED_SIZE (250 by default): 2,500 characters
_NAME = "compare_extraction"  # as trafilatura.core imports it (not re-exported, so read by name)
_PARAMETERS = ["cleaned_tree", "raw_tree", "body", "text", "options"]
_active: ContextVar[bool] = ContextVar("newswatch_comparison_gate", default=False)
_lock = threading.Lock()
_installed: bool | None = None  # None: not tried yet


@contextmanager
def gated() -> Iterator[bool]:
    """Within the block, this thread's trafilatura extractions skip the comparison where `settled`;
    yields whether the gate could be installed."""
    installed = _install()
    token = _active.set(installed)
    try:
        yield installed
    finally:
        _active.reset(token)


def settled(body: _Element, text: str, focus: str, min_size: int) -> bool:
    """Whether trafilatura's own text stands whatever readability and jusText find, but for readability
    finding twice as much: a long precise text of paragraphs, not mostly tables, without page furniture."""
    return (focus == "precision" and len(text) >= LONG_FACTOR * min_size
            and bool(body.xpath(".//p//text()"))
            and len(body.findall(".//table")) <= len(body.findall(".//p"))
            and not body.xpath(SANITIZED_XPATH))


def _install() -> bool:
    global _installed
    with _lock:
        if _installed is None:
            original = getattr(trafilatura.core, _NAME, None)
            _installed = callable(original) and list(inspect.signature(original).parameters) == _PARAMETERS
            if _installed:
                setattr(trafilatura.core, _NAME, _wrap(cast(Callable[..., tuple[_Element, str]], original)))
        return _installed


def _wrap(compare: Callable[..., tuple[_Element, str]]) -> Callable[..., tuple[_Element, str]]:
    def compare_extraction(cleaned_tree: Any, raw_tree: Any, body: _Element, text: str,
                           options: Any) -> tuple[_Element, str]:
        if _active.get() and settled(body, text, options.focus, options.min_extracted_size):
            return body, text
        return compare(cleaned_tree, raw_tree, body, text, options)

    return compare_extraction
