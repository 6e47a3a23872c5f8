"""Which fetched responses are HTML pages, whatever their servers call them."""

from __future__ import annotations

import pytest

from worker.extract.page import media_type, not_html

PAGE = b"<!DOCTYPE html><html><head><title>x</title></head><body><p>story</p></body></html>"


def test_media_type_and_charset() -> None:
    assert media_type({"content-type": 'Text/HTML; Charset="ISO-8859-1"'}) == ("text/html", "ISO-8859-1")
    assert media_type({"content-type": "application/xhtml+xml"}) == ("application/xhtml+xml", None)
    assert media_type({}) == ("", None)


@pytest.mark.parametrize(("mime", "body"), [
    ("text/html", PAGE), ("application/xhtml+xml", PAGE), ("", PAGE), ("application/octet-stream", PAGE),
    ("text/plain", b"  <html><body>x</body></html>"), ("text/html", "<p>x</p>".encode("utf-16")),
])
def test_html(mime: str, body: bytes) -> None:
    assert not_html(mime, body) is None


@pytest.mark.parametrize(("mime", "body", "why"), [
    ("application/pdf", b"%PDF-1.7\n...", "a PDF document"),
    ("text/html", b"%PDF-1.7\n...", "a PDF document (served as text/html)"),
    ("image/png", b"\x89PNG\r\n\x1a\n", "a PNG image"),
    ("text/html", b"<html>\x00\x01\x02", "binary"),
    ("application/json", b'{"html": "<p>"}', "served as application/json, which is not HTML"),
    ("", b"just some words", "served as no content type"),
    ("text/plain", b"plain words, no markup", "served as text/plain"),
])
def test_not_html(mime: str, body: bytes, why: str) -> None:
    reason = not_html(mime, body)
    assert reason is not None and why in reason
