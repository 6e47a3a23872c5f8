"""Photo and image credits inside a block of text: where the credit span starts.

A credit names who took or owns a picture ("Leonhard Foeger / Reuters
file", "(Joshua Roberts/Reuters)", "© Amazon", "Photo by Kevin Mazur/Getty
Images for Netflix"), not what the story is about: a team watching Reuters
or Amazon does not want an alert from it. A credit is often not a block of
its own but the end of one: a caption's trailing parenthesis, a last line
under the description, the end of a paragraph trafilatura joined to it. So
`credits` finds where, in each line of a block's text, a credit runs to the
line's end, and `blocks` cuts each off as a credit block of its own.

Only forms a credit takes are read, never a name alone, and only where a
credit stands: from a line's start, a sentence's end or an opening
parenthesis, to the very end of the line. "Reuters reported that..."
or "according to Getty Images' annual report" is none of these forms:

- the agency after a slash: capitalised names, "/", capitalised names, then
  at most a qualifier ("file", "pool", "via ...", "for ..."):
  "Kevin Mazur/Getty Images for Netflix", "AP Photo/Evan Vucci";
- a credit word and a colon or "by": "Photo by ...", "Image: ...",
  "Credit: ...", "Photograph: ...", "Courtesy of ...";
- a copyright sign or line: "© Amazon", "Copyright 2019 Acme" (not "(c)",
  which also numbers clauses);
- a caption's trailing parenthesis of names alone: "(Reuters)", "(Getty)"
  (captions only: in a paragraph "(NATO)" spells out what came before it);
- a news or picture agency's name alone as a line or block: "REUTERS".
"""

from __future__ import annotations

import re

MAX_CHARS = 120  # a credit is a line; a longer span is a sentence that happens to start like one
_NAME = r"[A-Z\u00c0-\u00de][\w.'\u2019&-]*"
_NAMES = rf"{_NAME}(?:[ \u00a0](?:{_NAME}|de|da|del|der|van|von|la|le|al|bin|y|of))*"
_AGENCIES = (r"(?i:reuters|ap|associated press|afp|getty images|getty|epa-efe|epa|shutterstock|alamy|"
             r"istockphoto|istock|ap images|xinhua|anadolu|sipa|rex|pa wire|pa images|pa|dpa|ansa|efe|"
             r"bloomberg|handout|pool)(?![\w-])")
# one side of the slash is a person's full name or an agency: "Jan/Feb" and "Apple/Samsung" are not credits
_STRONG = rf"(?:{_NAME}[ \u00a0]{_NAMES}|{_AGENCIES})"
_QUALIFIER = r"(?:\s+(?:file|pool|photo|handout|via|for|and)\b[^()\n]*)?"
_SLASH = (rf"(?:{_STRONG}(?:\s?/\s?{_NAMES})+|{_NAMES}(?:\s?/\s?{_NAMES})*\s?/\s?{_STRONG})"
          rf"{_QUALIFIER}")
_WORD = (r"(?:photo credit|image credit|photographs|photograph|photography|photos|photo|pictures|picture|"
         r"images|image|illustration|graphic|video|footage|credits|credit)")
_CUED = rf"(?i:{_WORD}\s*(?::|\bby\b|\bcourtesy\b)|courtesy\b)[^\n]+"
_COPYRIGHT = r"(?:\u00a9|(?i:copyright)\s+(?:\u00a9\s*)?\d{4}\b)[^\n]*\w[^\n]*"
_FORMS = rf"{_SLASH}|{_CUED}|{_COPYRIGHT}"
_OPENING = r"(?:^|(?<=[.!?\u201d\"'\u2019)])[ \u00a0]+)"
_SPAN = re.compile(rf"{_OPENING}(?P<credit>{_FORMS}|{_AGENCIES}(?:[ \u00a0]{_AGENCIES})?)[.\s]*$")
_PAREN = re.compile(rf"(?:^|(?<=\s))(?P<credit>\((?:{_FORMS}|{_AGENCIES})\))\.?\s*$")
_CAPTION_PAREN = re.compile(rf"(?:^|(?<=\s))(?P<credit>\({_NAMES}\))\.?\s*$")


def credits(text: str, caption: bool = False) -> list[tuple[int, int]]:
    """The spans of `text` that are credits, each running to the end of its line, in order.

    `caption`: the text is a picture's caption, whose trailing parenthesis of
    names alone is its credit.
    """
    found, offset = [], 0
    for line in text.split("\n"):
        start = credit_start(line, caption)
        if start is not None:
            found.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return found


def credit_start(line: str, caption: bool = False) -> int | None:
    """The offset where a credit running to the end of one line starts (0: all of it), or None."""
    begin = max(len(line) - MAX_CHARS, 0)
    for pattern in (_PAREN, _CAPTION_PAREN, _SPAN) if caption else (_PAREN, _SPAN):
        if found := pattern.search(line, begin):
            return found.start("credit")
    return None
