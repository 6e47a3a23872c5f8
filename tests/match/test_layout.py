"""Mentions in boilerplate blocks: kept to explain, never counted; the block kind of every mention."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.match.conftest import small_config
from worker.config import Config
from worker.explain import explain_source
from worker.match.matcher import Matcher
from worker.records import Article, Block, BlockKind, BlockRole

STORY = "Regulators in Brussels fined Twitter on Monday over its handling of complaints from users."
FOLLOW = "Follow Jane Doe on Twitter @janedoe"


def config() -> Config:
    route = {"id": "social", "when": {"watchlists": {"any": ["test"]}}, "to": ["console"]}
    return small_config([{"id": "twitter", "name": "Twitter"}, {"id": "facebook", "name": "Facebook"}],
                        routes=[route])


def article(*blocks: tuple[BlockKind, BlockRole, str], title: str = "Regulators act") -> Article:
    text, made, offset = [], [], 0
    for kind, role, words in blocks:
        made.append(Block(kind=kind, role=role, start=offset, end=offset + len(words)))
        text.append(words)
        offset += len(words) + 1
    return Article(id="a", feed_id="f", url="https://post.example/a", link="https://post.example/a",
                   title=title, text="\n".join(text), source="page", blocks=made,
                   first_seen=datetime.now(UTC))


@pytest.mark.parametrize("role", ["follow", "contact", "bio", "related", "promo", "credit"])
def test_a_mention_in_a_boilerplate_block_fires_no_route(role: BlockRole) -> None:
    matcher = Matcher.build(config())
    result = matcher.match(article(("paragraph", "body", "Regulators met on Monday."),
                                   ("paragraph", role, FOLLOW)))
    assert result.routes == [] and result.score == 0 and result.entities == []
    assert [(u.entity, u.text, u.role, u.block) for u in result.uncounted] == [
        ("twitter", "Twitter", role, "paragraph")]


@pytest.mark.parametrize("kind", ["paragraph", "heading", "list", "quote", "table", "caption", "embed"])
def test_every_mention_knows_its_block_kind(kind: BlockKind) -> None:
    matcher = Matcher.build(config())
    result = matcher.match(article((kind, "body", STORY)))
    assert result.routes == ["social"]
    assert [m.block for m in result.entities[0].mentions] == [kind]


def test_the_body_still_counts_beside_a_follow_line_and_the_title_and_lead_weigh_as_before() -> None:
    matcher = Matcher.build(config())
    result = matcher.match(article(("paragraph", "body", STORY), ("paragraph", "follow", FOLLOW),
                                   title="Twitter fined"))
    twitter = result.entities[0]
    assert [(m.field, m.block) for m in twitter.mentions] == [("title", None), ("body", "paragraph")]
    assert twitter.score == 3.0 + 2.0  # title_weight + lead_weight: the follow line adds nothing
    assert len(result.uncounted) == 1


def test_an_article_without_blocks_counts_everything() -> None:
    matcher = Matcher.build(config())
    plain = article(("paragraph", "body", FOLLOW)).model_copy(update={"blocks": []})
    assert matcher.match(plain).routes == ["social"]


def test_the_match_record_lists_what_was_not_counted() -> None:
    matcher = Matcher.build(config())
    story = article(("paragraph", "body", STORY), ("paragraph", "follow", FOLLOW + " and on Facebook"))
    result = matcher.match(story)
    record = matcher.record(story, result)
    assert [(u.entity, u.role) for u in record.uncounted] == [("twitter", "follow"), ("facebook", "follow")]
    assert "Follow Jane Doe" in record.uncounted[0].snippet


def test_newswatch_match_says_why_a_follow_line_did_not_count(tmp_path: Path) -> None:
    story = " ".join(["Regulators in Brussels met on Monday to weigh new rules for online platforms."] * 4)
    page = tmp_path / "story.html"
    page.write_text(f"<html><head><title>Regulators weigh rules</title></head><body><article>"
                    f"<h1>Regulators weigh rules</h1><p>{story}</p><p>{story}</p>"
                    f"<p>{FOLLOW} and Facebook.</p></article></body></html>", encoding="utf-8")
    out = io.StringIO()
    assert explain_source(config(), str(page), out=out) == 1
    text = out.getvalue()
    assert "'Twitter' in the body at" in text and "(twitter): not counted: in a follow line" in text
    assert "(facebook): not counted: in a follow line" in text


def test_a_regex_mention_in_a_boilerplate_block_is_not_counted_either() -> None:
    route = {"id": "social", "when": {"watchlists": {"any": ["test"]}}, "to": ["console"]}
    handle = {"id": "handle", "name": "Handle", "aliases": [{"regex": r"@\w+doe"}]}
    matcher = Matcher.build(small_config([handle], routes=[route]))
    result = matcher.match(article(("paragraph", "body", STORY), ("paragraph", "follow", FOLLOW)))
    assert result.routes == [] and [u.text for u in result.uncounted] == ["@janedoe"]
