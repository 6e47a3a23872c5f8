"""Which blocks of an article are boilerplate: follow and share lines, contact lines, author bios,
related and read-more lists, newsletter and subscription promos, photo and reporting credits.

An alert fired by "Follow her on Twitter" teaches a team to ignore the
channel, but a phrase list would also drop "Twitter said on Monday...". So
each block is scored on features, and only a block with enough evidence is
boilerplate (its mentions are shown, never counted):

    feature                                                      points
    a cue in the block's first words (its role, see _CUES)           +2
    a bio opening: "First Last is a/the ... writer|editor|..."      +2, +1 for the job word
    handles, URLs or e-mail addresses in it                          +1
    it is a profile line, in any language: a social network's        +1
      address (a profile's URL, an @handle) and a few words at most
    most of its text is link text (>= 60%)                           +1
    it stands after the last body paragraph (the tail)               +1
    it is short (<= 200 characters)                                  +1
    its kind is a caption (a paragraph the page marks as one)        +1
    it is long (> 400 characters): story text with a cue in it       -3
    it follows a boilerplate heading or "More from X:" line          +2 (the section carries on)
    its short text (<= 80 characters) is repeated in the article     +3 (credits under pictures)

A picture's credit the page marks as one (`Piece.credit`, see `captions`),
or that reads as one ("(Daniel Obi/Reuters)", "© Amazon", see `credits`),
is a credit whatever its score. A list's first words are its first item's,
so lists get no cue: a related list is told by its links and the opener
above it. A block scoring
`THRESHOLD` or more is boilerplate. Quotes, tables, code
and embedded posts are the story's own material and never are. The cue
words are one feature among several: "Follow the money" in a long
paragraph, or a short "Twitter said..." line with no cue, stays body. The
weights were tuned on the development split (66 of the 100 news pages; see
bench/quality.py) and pinned by tests/extract/test_boilerplate.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from worker.records import BlockRole

if TYPE_CHECKING:  # blocks imports this module to classify what it cut
    from worker.extract.blocks import Piece

THRESHOLD = 4
SHORT_CHARS = 200
LONG_CHARS = 400
CREDIT_CHARS = 80
OPENER_REACH = 4  # blocks before a short last paragraph searched for the list opener it belongs to
LINK_SHARE = 0.6
BODY_CHARS = 120  # a paragraph this long without a cue is story text: the tail starts after the last one
FIRST_WORDS = 6
# English first, then the same cues as news sites of other languages write them (Spanish, French,
# German, Italian, Portuguese, Dutch, Polish, Russian, Turkish, Arabic, Chinese, Japanese)
_CUES: dict[BlockRole, tuple[str, ...]] = {
    "follow": ("follow", "like us", "find us", "join us", "connect with", "share this", "share on",
               "share", "tweet",
               "síguenos", "suivez-nous", "suivez nous", "folgen sie uns", "folge uns", "folgt uns",
               "seguici", "siga-nos", "segue-nos", "volg ons", "obserwuj nas", "подписывайтесь",
               "следите за нами", "bizi takip", "تابعونا", "تابعنا", "关注我们", "フォロー", "comparte",
               "partager", "teilen", "condividi", "compartilhe", "delen", "udostępnij", "поделиться",
               "paylaş"),
    "contact": ("contact", "reached", "reach", "email", "e-mail", "write to", "tips",
                "contacto", "contactez", "kontakt", "contatti", "contato", "контакты", "iletişim",
                "联系我们", "お問い合わせ"),
    "related": ("related", "trending", "more from", "read more", "see also", "also see", "also read",
                "you might", "you may also", "recommended", "most popular", "topics", "tags",
                "more stories", "more on",
                "noticias relacionadas", "relacionado", "relacionadas", "lee también", "lea también",
                "te puede interesar", "lire aussi", "à lire aussi", "à lire également",
                "sur le même sujet", "lesen sie auch", "mehr zum thema", "auch interessant", "leggi anche",
                "potrebbe interessarti",
                "leia também", "veja também", "lees ook", "zobacz też", "zobacz także", "czytaj też",
                "czytaj także", "читайте также", "по теме", "ilgili haberler", "اقرأ أيضا", "اقرأ أيضاً",
                "相关新闻", "相关阅读", "関連記事", "関連ニュース"),
    "promo": ("subscribe", "newsletter", "sign up", "for the full story", "comments are",
              "have something to add", "download our",
              "suscríbete", "abonnez-vous", "inscrivez-vous", "abonnieren", "iscriviti", "assine",
              "inscreva-se", "abonneer", "zapisz się", "подпишитесь", "abone ol", "اشترك"),
    "credit": ("photo", "photos", "picture", "pictures", "image", "images", "credit", "getty",
               "reporting by", "additional reporting", "editing by", "source", "originally",
               "provided by", "compiled by", "copyright",
               "foto", "fotos", "fotografía", "imagen", "crédit", "crédito", "фото", "写真", "图片来源"),
}
_CUE_PATTERNS = [(role, re.compile(rf"(?<![\w@+-])(?:{'|'.join(map(re.escape, cues))})(?![\w@+-])"))
                 for role, cues in _CUES.items()]
_NEVER = frozenset({"quote", "table", "code", "embed"})
_WORD = re.compile(r"[\w@+-]+(?:'\w+)?")
_MARKS = re.compile(r"(?<!\w)@\w{2,}|https?://|www\.|\b[\w.+-]+@[\w-]+\.[\w.]+")
# A social network's address, a profile's or a post's; a line holding one and little else is a follow line.
_PROFILES = re.compile(r"(?<![\w@.])@\w{2,}|(?:https?://)?(?:www\.|m\.)?(?:facebook\.com|fb\.me|fb\.com|"
                       r"twitter\.com|x\.com|instagram\.com|youtube\.com|youtu\.be|tiktok\.com|t\.me|"
                       r"telegram\.me|line\.me|vk\.com|ok\.ru|weibo\.com|linkedin\.com|threads\.net|"
                       r"pinterest\.com|bsky\.app|wa\.me|whatsapp\.com)/\S*", re.IGNORECASE)
PROFILE_REST = 25  # characters besides the addresses: the network's name, "ID", "follow us" (ติดตามเรา)
_BIO = re.compile(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3},? (?:is|was|has been|serves as) (?:a|an|the)\b")
_JOBS = re.compile(r"\b(?:writer|reporter|editor|correspondent|columnist|contributor|author|founder|"
                   r"director|strategist|journalist|blogger|professor|analyst|producer|host)\b",
                   re.IGNORECASE)


def roles(blocks: Sequence[Piece]) -> list[BlockRole]:
    """The role of each block, in order: "body" or the boilerplate it is."""
    cues = [None if block.kind == "list" else _cue(block.text) for block in blocks]
    tail_from = _tail_start(blocks, cues)
    repeated = Counter(block.text for block in blocks if len(block.text) <= CREDIT_CHARS)
    found: list[BlockRole] = []
    section = False  # the block before opened a boilerplate section (a heading or "More from X:")
    for index, block in enumerate(blocks):
        role, points = _evidence(block, cues[index], index >= tail_from, section, repeated[block.text] > 1)
        found.append(role if points >= THRESHOLD else "body")
        section = found[-1] != "body" and (block.kind in ("heading", "list") or block.text.endswith(":"))
        section = section or (found[-1] != "body" and index > 0 and found[-2] == found[-1] == "related")
    return found


def _evidence(block: Piece, cue: BlockRole | None, tail: bool, section: bool,
              repeated: bool) -> tuple[BlockRole, int]:
    """The role the block's features point to and how strongly."""
    if block.kind in _NEVER:
        return "body", 0
    if block.credit:
        return "credit", THRESHOLD
    text = block.text
    marks = _MARKS.search(text) if "@" in text or "://" in text or "www." in text else None
    links = block.link_chars >= LINK_SHARE * len(text)
    points = 2 if cue else 0
    bio = not cue and _BIO.match(text)
    if bio:
        points += 2 + bool(_JOBS.search(text[:SHORT_CHARS]))
    profile = bool(marks) and len(text) <= SHORT_CHARS and _profile_line(text)
    points += bool(marks) + profile + links + tail + 2 * section + 3 * repeated + (block.kind == "caption")
    points += 1 if len(text) <= SHORT_CHARS else -3 if len(text) > LONG_CHARS else 0
    return cue or ("follow" if profile else _uncued_role(bool(bio), section, repeated, marks, links)), points


def _profile_line(text: str) -> bool:
    """Whether the block gives a social network address with a few words at most around it, whatever
    its language ("เฟซบุ๊ก https://fb.me/news", "LINE ID = @news", "Twitter: @news")."""
    rest, found = _PROFILES.subn("", text)
    return found > 0 and len("".join(rest.split())) <= PROFILE_REST


def _uncued_role(bio: bool, section: bool, repeated: bool, marks: re.Match[str] | None,
                 links: bool) -> BlockRole:
    """What a block with no cue is, should its other features add up."""
    if bio:
        return "bio"
    if repeated:
        return "credit"
    if marks and not links:
        return "follow" if marks.group(0).startswith("@") else "contact"
    return "related"


def _cue(text: str) -> BlockRole | None:
    """The role a cue among the first words names, if any (the first role of `_CUES` that has one)."""
    words = " ".join(_WORD.findall(text[:120].lower())[:FIRST_WORDS])
    for role, pattern in _CUE_PATTERNS:
        if pattern.search(words):
            return role
    return None


def _tail_start(blocks: Sequence[Piece], cues: Sequence[BlockRole | None]) -> int:
    """The index after the last body paragraph: a long, cue-less paragraph that is not mostly links.

    A short paragraph under a "Trending"/"More from" opener just before it is
    a teaser of that list, not the story's end: the tail then starts at the opener.
    """
    last = next((index for index in range(len(blocks) - 1, -1, -1) if _story(blocks[index], cues[index])), -1)
    if last < 0 or len(blocks[last].text) > SHORT_CHARS:
        return last + 1
    for index in range(last - 1, max(last - OPENER_REACH, 0) - 1, -1):
        block = blocks[index]
        if cues[index] == "related" and (block.kind == "heading" or block.text.endswith(":")):
            return index
        if len(block.text) > SHORT_CHARS:
            break
    return last + 1


def _story(block: Piece, cue: BlockRole | None) -> bool:
    return (block.kind == "paragraph" and len(block.text) >= BODY_CHARS and cue is None
            and block.link_chars < LINK_SHARE * len(block.text))
