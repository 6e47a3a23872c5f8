"""The block classifier: one case per boilerplate role, and the true mentions it must leave alone."""

from __future__ import annotations

from worker.extract.blocks import Piece
from worker.extract.boilerplate import roles
from worker.records import BlockKind, BlockRole

STORY = ("The harbour authority said on Monday that the swing bridge would close for repairs from March, "
         "after inspectors found corrosion in several of its girders and warned of long delays.")


def piece(text: str, kind: BlockKind = "paragraph", links: float = 0.0) -> Piece:
    return Piece(kind, text, int(len(text) * links))


def tail_role(*blocks: Piece) -> list[BlockRole]:
    """The roles of blocks that follow three paragraphs of story."""
    return roles([piece(STORY), piece(STORY), piece(STORY), *blocks])[3:]


def test_follow_line() -> None:
    assert tail_role(piece("Follow Jane Doe on Twitter @janedoe and on Facebook.")) == ["follow"]


def test_share_line() -> None:
    assert tail_role(piece("Share this story on Facebook and Twitter", links=0.7)) == ["follow"]


def test_contact_line() -> None:
    assert tail_role(piece("To contact the reporter: Jane Doe in Northport at jdoe@post.example")) == [
        "contact"]


def test_author_bio() -> None:
    bio = "Jane Doe is a senior reporter at the Northport Post covering transport and the harbour."
    assert tail_role(piece(bio)) == ["bio"]


def test_related_list_after_its_heading() -> None:
    assert tail_role(piece("More from the Northport Post:"),
                     piece("- Ferry fares rise\n- Quay works delayed", kind="list", links=0.95)) == [
        "related", "related"]


def test_related_section_under_a_heading_carries_on() -> None:
    assert tail_role(piece("Trending on Northport Post", kind="heading"), piece("Transport", kind="heading"),
                     piece("Ferry fares rise again in April, the operator said. Full story", links=0.1)) == [
        "related", "related", "related"]


def test_newsletter_promo() -> None:
    assert tail_role(piece("Sign up for our morning newsletter and get the harbour news first.")) == ["promo"]


def test_photo_credit_in_the_body_and_repeated_credits() -> None:
    credit = piece("Photo: Jane Doe/Northport Post", kind="caption")
    assert roles([piece(STORY), credit, piece(STORY)])[1] == "credit"
    credits = roles([piece(STORY), piece("Northport Post / Agency"), piece(STORY),
                     piece("Northport Post / Agency"), piece(STORY)])
    assert credits == ["body", "credit", "body", "credit", "body"]


def test_true_mentions_stay_body() -> None:
    assert tail_role(piece("Twitter said on Monday it would review the posts.")) == ["body"]
    follow_the_money = ("Follow the money, the auditor told the council, and you will find that the "
                        "bridge budget was spent three times over on consultants from Facebook and "
                        "elsewhere before a single girder was replaced; " + STORY)
    assert tail_role(piece(follow_the_money)) == ["body"]
    caption = piece("Twitter's chief executive and the mayor open the new bridge on Monday.", kind="caption")
    assert tail_role(caption) == ["body"]


def test_quotes_tables_and_embedded_posts_are_never_boilerplate() -> None:
    assert tail_role(piece("Follow us on Twitter @northportcc", kind="quote"),
                     piece("Follow @northportcc for updates pic.twitter.com/x", kind="embed")) == [
        "body", "body"]


def test_a_cue_before_the_tail_needs_more_evidence() -> None:
    """A short "Photo..." line in the middle of the story, with nothing else for it, is the story."""
    assert roles([piece(STORY), piece("Photos from the quay show the damage."), piece(STORY)])[1] == "body"


def test_a_list_in_the_story_is_not_read_for_cues() -> None:
    items = piece("- Email and chat apps\n- Copying a link from https://example.test\n- Photos", kind="list")
    assert tail_role(items) == ["body"]


def test_profile_lines_are_follow_lines_in_any_language() -> None:
    lines = [piece("เฟซบุ๊ก https://fb.me/northportpost"), piece("ทวิตเตอร์ https://twitter.com/northportpost"),
             piece("LINE ไอดี = @northportpost"), piece("Síguenos: https://www.instagram.com/northportpost"),
             piece("Telegram: t.me/northportpost https://t.me/northportpost"), piece("微博 @北港邮报")]
    assert tail_role(*lines) == ["follow"] * len(lines)


def test_a_handle_in_a_sentence_or_amid_the_story_stays_body() -> None:
    said = piece("The ministry wrote on Twitter @northportmod that the drills would go on until Friday.")
    assert tail_role(said) == ["body"]
    assert roles([piece(STORY), piece("ทวิตเตอร์ @northportpost"), piece(STORY)])[1] == "body"  # mid-story


def test_cues_in_other_languages() -> None:
    assert tail_role(piece("Síguenos en Twitter y Facebook para más noticias.")) == ["follow"]
    assert tail_role(piece("Folgen Sie uns auf Twitter und Instagram.")) == ["follow"]
    assert tail_role(piece("Suivez-nous sur Facebook et Twitter.")) == ["follow"]
    assert tail_role(piece("À lire aussi : la grève des dockers continue", links=0.8)) == ["related"]
    assert tail_role(piece("Читайте также: забастовка в порту продолжается", links=0.8)) == ["related"]
    assert tail_role(piece("Foto: Agencia Norte / Archivo")) == ["credit"]


def test_a_foreign_cue_in_the_story_stays_body() -> None:
    story = ("Folgen Sie uns, sagte der Hafenmeister am Montag den Journalisten, und führte sie über die "
             "Brücke, deren Träger nach dem Bericht der Prüfer stark verrostet sind und bis März ersetzt "
             "werden müssen, was den Verkehr im Hafen über Wochen behindern wird, wie die Behörde schrieb.")
    assert tail_role(piece(story), piece(STORY)) == ["body", "body"]
