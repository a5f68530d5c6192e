"""Stories in the archive: joining, merging (every article kept), re-anchoring on credits,
relations, following merged story ids, and URL aliases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import Article, store_article
from storage.articles import article_for_url, article_known
from storage.dedup import save_links
from storage.models import Story
from storage.stories import join_story, resolve_story, story_members
from tests.storage.conftest import record


def _article(session: Session, url: str, *, lang: str = "vi", day: int = 5, **fields) -> Article:  # noqa: ANN003
    outcome = store_article(session, record(url, lang=lang, title=url, text=f"Nội dung {url}",
                                            published_at=datetime(2026, 9, day, tzinfo=UTC),
                                            **fields))  # fmt: skip
    return session.get(Article, outcome.article_id)


def test_merging_two_stories_keeps_every_article(session: Session) -> None:
    a = _article(session, "https://mst.gov.vn/a-1.htm", day=3)
    b = _article(session, "https://mst.gov.vn/b-2.htm", day=4)
    c = _article(session, "https://mst.gov.vn/c-3.htm", lang="en", day=5)
    first = join_story(session, a, [])
    second = join_story(session, b, [])
    assert first != second
    merged = join_story(session, c, [a.id, b.id])  # evidence bridges the two stories
    session.commit()
    assert merged == min(first, second)
    members = story_members(session, merged)
    assert {m.id for m in members} == {a.id, b.id, c.id}
    assert [m.relation for m in members] == ["original", "republished", "translated"]
    assert members[0].id == a.id  # no credits: the earliest published is the original
    gone = session.get(Story, max(first, second))
    assert gone.merged_into == merged and gone.original_id is None
    assert resolve_story(session, gone.id).id == merged


def test_the_credited_article_is_the_original_even_when_published_later(session: Session) -> None:
    copy = _article(session, "https://baolamdong.vn/copy-123456.html", day=1)
    original = _article(session, "https://mst.gov.vn/original-1.htm", day=9)
    save_links(session, copy.id, [("https://mst.gov.vn/original-1.htm", "credit")])
    story = join_story(session, copy, [original.id])
    session.commit()
    assert session.get(Story, story).original_id == original.id
    assert session.get(Article, copy.id).relation == "republished"
    assert session.get(Article, original.id).original_url == original.url


def test_every_url_an_article_was_seen_under_resolves_to_it(session: Session) -> None:
    url = "https://mst.gov.vn/ha-tang-du-lieu-197260905.htm"
    first = store_article(session, record(url, aliases=[url, "https://m.mst.gov.vn/x-1.htm"]))
    again = store_article(session, record("https://mst.gov.vn/other-spelling.htm",
                                          aliases=["https://m.mst.gov.vn/x-1.htm"]))  # fmt: skip
    session.commit()
    assert again.article_id == first.article_id and again.status == "duplicate"
    assert article_for_url(session, "https://m.mst.gov.vn/x-1.htm") == first.article_id
    assert article_known(session, "https://m.mst.gov.vn/x-1.htm")
    assert article_known(session, "https://mst.gov.vn/other-spelling.htm")
    assert session.scalars(select(Article)).all() == [session.get(Article, first.article_id)]
