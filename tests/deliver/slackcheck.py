"""A checker for Slack messages: reads mrkdwn as Slack does and enforces every documented limit.

Written from Slack's reference, not from the renderer: `<...>` is a control
sequence (a link `<url|text>` or `<url>`, a mention `<@U…>` `<#C…>`, a
special mention `<!here>` `<!channel>` `<!everyone>` `<!subteam^…>`, a date
`<!date^…|…>`); `&` starts `&amp;`, `&lt;` or `&gt;`, anything else is an
unescaped character. `problems` lists what Slack would refuse or misread; an
empty list is a message Slack accepts and shows as the renderer meant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

LIMITS = {"section_text": 3_000, "field_text": 2_000, "fields": 10, "blocks": 50, "header_text": 150,
          "context_elements": 10, "context_text": 3_000, "top_text": 40_000, "total_text": 12_000}
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
_DATE = re.compile(r"^!date\^-?\d+\^[^|<>]*(\|[^<>]*)?$")
_QUOTE = re.compile(r"(?m)^> ")
_FORMATTED = re.compile(r"(?<![0-9A-Za-z])([*_~])(?!\1)(?=\S).*?(?<=\S)\1(?![0-9A-Za-z])|`[^`\n]+`")
_TARGET = re.compile(r"<[^<>|]*(?=[|>])")
_QUOTED = re.compile(r"(?m)^(?:>|&gt;|\uff1e).*$")
_OWN_MARKUP = re.compile(r"\*(?:Entities|Events)\*")
_KIND = re.compile(r"_[^*_~`]+_")  # an entity's kind in italics, after its name, at the end of a list item
_ROUTE = r"(?:^| · )routes? "  # the context line's "route `id`" / "routes `a, b`"


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def problems(message: dict[str, Any], links: Iterable[str] = ()) -> list[str]:
    """What is wrong with `message`, given the URLs it may link to."""
    allowed = set(links)
    found: list[str] = []
    try:
        json.dumps(message, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError) as exc:
        return [f"not strict UTF-8 JSON: {exc}"]
    top = message.get("text")
    if not isinstance(top, str) or not top.strip() or units(top) > LIMITS["top_text"]:
        found.append("top-level text missing, blank or over 40,000")
    else:
        found += [f"text: {p}" for p in mrkdwn(top, allowed)]
    blocks = message.get("blocks")
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= LIMITS["blocks"]:
        return [*found, "blocks missing or more than 50"]
    total = units(top) if isinstance(top, str) else 0
    for n, block in enumerate(blocks):
        texts = list(_texts(block, f"blocks[{n}]", found))
        total += sum(units(t) for _, t, _ in texts)
        for where, text, kind in texts:
            if kind == "mrkdwn":
                found += [f"{where}: {p}" for p in mrkdwn(text, allowed)]
    if total > LIMITS["total_text"]:
        found.append(f"all text together is {total}, over {LIMITS['total_text']}")
    return found


def _texts(block: dict[str, Any], where: str, found: list[str]) -> Iterable[tuple[str, str, str]]:
    kind = block.get("type")
    if kind == "divider":
        return []
    check = {"section": _section, "context": _context, "header": _header}.get(str(kind))
    if check is None:
        found.append(f"{where}: unknown block type {kind!r}")
        return []
    return list(check(block, where, found))


def _section(block: dict[str, Any], where: str, found: list[str]) -> Iterable[tuple[str, str, str]]:
    fields = block.get("fields") or []
    if "text" not in block and not fields:
        found.append(f"{where}: a section needs text or fields")
    if len(fields) > LIMITS["fields"]:
        found.append(f"{where}: {len(fields)} fields, over 10")
    if "text" in block:
        yield from _text(block["text"], f"{where}.text", LIMITS["section_text"], found)
    for i, field in enumerate(fields):
        yield from _text(field, f"{where}.fields[{i}]", LIMITS["field_text"], found)


def _context(block: dict[str, Any], where: str, found: list[str]) -> Iterable[tuple[str, str, str]]:
    elements = block.get("elements") or []
    if not 1 <= len(elements) <= LIMITS["context_elements"]:
        found.append(f"{where}: context needs 1 to 10 elements")
    for i, element in enumerate(elements):
        yield from _text(element, f"{where}.elements[{i}]", LIMITS["context_text"], found)


def _header(block: dict[str, Any], where: str, found: list[str]) -> Iterable[tuple[str, str, str]]:
    if block.get("text", {}).get("type") != "plain_text":
        found.append(f"{where}: a header's text must be plain_text")
    yield from _text(block.get("text", {}), f"{where}.text", LIMITS["header_text"], found)


def _text(obj: dict[str, Any], where: str, limit: int, found: list[str]) -> Iterable[tuple[str, str, str]]:
    text, kind = obj.get("text"), obj.get("type")
    if kind not in ("mrkdwn", "plain_text") or not isinstance(text, str):
        found.append(f"{where}: not a text object")
        return
    if not text.strip():
        found.append(f"{where}: empty text")
    if units(text) > limit:
        found.append(f"{where}: {units(text)} characters, over {limit}")
    yield where, text, kind


def formatting(text: str) -> list[str]:
    """The spans Slack formats in `text`: `*bold*`, `_italic_`, `~strike~` (each opened after a
    non-alphanumeric and closed before one, touching no space inside), `` `code` `` and `>` quotes."""
    text = _TARGET.sub("<url", text)  # Slack reads a link's URL as a URL, before any formatting
    quotes = [f"quote: {m.group()}" for m in _QUOTED.finditer(text)]
    return [m.group() for m in _FORMATTED.finditer(text)] + quotes


def foreign_formatting(text: str) -> list[str]:
    """Formatted spans the renderer did not write: its own are a whole line in bold (a title, a
    heading), the *Entities* / *Events* labels, an entity's `_kind_` and the `route` code span."""
    return [span for span in formatting(text) if not _own(span, text)]


def _own(span: str, text: str) -> bool:
    text = _TARGET.sub("<url", text)
    at = re.escape(span)
    return ((span[0] == "*" and span in text.split("\n")) or bool(_OWN_MARKUP.fullmatch(span))
            or bool(re.search(f"{_ROUTE}{at}", text))
            or bool(_KIND.fullmatch(span) and re.search(f"(?:^| |\n){at}(?:$|, |\n)", text)))


def mrkdwn(text: str, allowed: set[str]) -> list[str]:
    """Control sequences and entities as Slack reads them: anything not a link to `allowed` or a date;
    and formatting the renderer did not write (data shown as markup)."""
    found = [f"unescaped & at {m.start()}" for m in _ENTITY.finditer(text)]
    found += [f"formats data: {span[:60]!r}" for span in foreign_formatting(text)]
    rest = _QUOTE.sub("", text)  # "> " at a line's start is a quote, Slack's own syntax
    position = 0
    while True:
        start = rest.find("<", position)
        if ">" in (rest[position:] if start < 0 else rest[position:start]):
            found.append(f"unescaped > after {position}")
        if start < 0:
            return found
        end = rest.find(">", start)
        if end < 0:
            return [*found, f"unterminated < at {start}"]
        found += _sequence(rest[start + 1:end], allowed)
        position = end + 1


def _sequence(inner: str, allowed: set[str]) -> list[str]:
    if _DATE.match(inner):
        return []
    if inner[:1] in ("!", "@", "#"):
        return [f"a mention or command <{inner[:40]}>"]
    url, _, label = inner.partition("|")
    url = url.replace("&amp;", "&")
    if url not in allowed:
        return [f"a link to {url[:80]!r}, which is not a validated URL of this alert"]
    if not label.strip() and "|" in inner:
        return ["a link with an empty label"]
    return []
