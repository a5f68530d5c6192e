"""Stories: which articles are the same report, which one is the original, and how each copy
relates to it.

``join_story`` puts an article in one story with every article it was found to duplicate,
merging their stories when evidence bridges two (every article is kept); ``anchor`` then picks
the original — the member the others credit, else the earliest published — and sets each
member's relation. Both depend only on the set of members and their links, never on the order
articles arrived in, so importing the same articles in another order gives the same stories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import (
    Article,
    ArticleLink,
    ArticleUrl,
    ArticleVersion,
    Story,
    utcnow,
)

ORIGINAL, REPUBLISHED, TRANSLATED, UPDATED = "original", "republished", "translated", "updated"
_FAR_FUTURE = datetime.max.isoformat()


def join_story(session: Session, article: Article, duplicates: Iterable[int]) -> int:
    """Give ``article`` and ``duplicates`` (article ids) one story and re-anchor it; returns
    the story id. The oldest of the stories involved survives; the others are merged into it.
    """
    ids = {article.id, *duplicates}
    story_ids = set(session.scalars(
        select(Article.story_id).where(Article.id.in_(ids), Article.story_id.is_not(None))
    ).all())  # fmt: skip
    if story_ids:
        keep = min(story_ids)
    else:
        story = Story(created_at=utcnow())
        session.add(story)
        session.flush()
        keep = story.id
    merged = story_ids - {keep}
    if merged:
        session.execute(update(Article).where(Article.story_id.in_(merged)).values(story_id=keep))
        session.execute(
            update(Story).where(Story.id.in_(merged)).values(merged_into=keep, original_id=None)
        )
    session.execute(update(Article).where(Article.id.in_(ids)).values(story_id=keep))
    session.flush()
    anchor(session, keep)
    return keep


def anchor(session: Session, story_id: int) -> None:
    """Choose the story's original and set every member's relation.

    The original is the member most credited by the others (a credit is the strongest
    evidence of origin, even when the copy's clock is earlier), else the earliest published
    (undated last), ties broken by canonical URL — never by arrival order.
    """
    members = list(session.scalars(select(Article).where(Article.story_id == story_id)).all())
    if not members:
        return
    member_ids = {m.id for m in members}
    credited = Counter(
        target
        for source_id, target in session.execute(
            select(ArticleLink.article_id, ArticleUrl.article_id)
            .join(ArticleUrl, ArticleUrl.url == ArticleLink.url)
            .where(ArticleLink.article_id.in_(member_ids), ArticleLink.kind == "credit")
        ).all()
        if target in member_ids and target != source_id
    )

    def rank(m: Article) -> tuple:
        published = m.published_at.isoformat() if m.published_at else _FAR_FUTURE
        return (-credited.get(m.id, 0), published, m.canonical_url)

    original = min(members, key=rank)
    for m in members:
        if m.id == original.id:
            relation = ORIGINAL
        elif (m.lang or "") == (original.lang or ""):
            relation = REPUBLISHED
        else:
            relation = TRANSLATED
        if m.relation != relation:
            m.relation = relation
    story = session.get(Story, story_id)
    if story is not None and story.original_id != original.id:
        story.original_id = original.id
        story.updated_at = utcnow()
    session.flush()


def story_to_dict(article: Article) -> dict:
    """The export fields of DESIGN.md: ``story_id``, ``is_original``, ``original_url``;
    omitted for an article not yet put in a story."""
    if article.story_id is None:
        return {}
    return {
        "story_id": article.story_id,
        "is_original": article.relation == ORIGINAL,
        "original_url": article.original_url,
        "relation": article.relation,
    }


def resolve_story(session: Session, story_id: int) -> Story | None:
    """The story with this id, following merges to the story it became part of."""
    story = session.get(Story, story_id)
    seen = set()
    while story is not None and story.merged_into is not None and story.id not in seen:
        seen.add(story.id)
        story = session.get(Story, story.merged_into)
    return story


def story_members(session: Session, story_id: int) -> list[Article]:
    """The story's articles: the original first, then by publication time."""
    members = session.scalars(select(Article).where(Article.story_id == story_id)).all()
    return sorted(
        members,
        key=lambda m: (m.relation != ORIGINAL,
                       m.published_at.isoformat() if m.published_at else _FAR_FUTURE, m.id),
    )  # fmt: skip


def members_by_story(session: Session, story_ids: Iterable[int]) -> dict[int, list[Article]]:
    """The articles of each of these stories (one query), each list ordered as
    :func:`story_members` orders it: for a page of a listing that shows each story's copies."""
    ids = sorted(set(story_ids))
    found: dict[int, list[Article]] = {story_id: [] for story_id in ids}
    if not ids:
        return found
    for member in session.scalars(select(Article).where(Article.story_id.in_(ids))).all():
        found[member.story_id].append(member)
    for members in found.values():
        members.sort(key=lambda m: (m.relation != ORIGINAL,
                                    m.published_at.isoformat() if m.published_at else _FAR_FUTURE,
                                    m.id))  # fmt: skip
    return found


def story_sizes(session: Session, story_ids: Iterable[int]) -> dict[int, int]:
    """How many articles each of these stories has (one grouped query)."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    stmt = (
        select(Article.story_id, func.count(Article.id))
        .where(Article.story_id.in_(ids))
        .group_by(Article.story_id)
    )
    return {story_id: count for story_id, count in session.execute(stmt).all()}


def versions_of(session: Session, article_ids: Iterable[int]) -> list[ArticleVersion]:
    """Earlier versions of these articles (the ``updated`` relation), oldest first."""
    return list(session.scalars(
        select(ArticleVersion)
        .where(ArticleVersion.article_id.in_(list(article_ids)))
        .order_by(ArticleVersion.article_id, ArticleVersion.id)
    ).all())  # fmt: skip


def story_count(session: Session) -> int:
    """Stories that still stand on their own (not merged into another)."""
    return (
        session.scalar(
            select(func.count(func.distinct(Article.story_id))).where(Article.story_id.is_not(None))
        )
        or 0
    )
