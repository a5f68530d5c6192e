"""Province and topic tags of articles: writing them, and counting articles per tag.

The tagger (``crawler.tagging``) computes tags; storage only keeps them. A tags record is a
plain mapping, so storage stays free of the tagger's types::

    {"primary_province": "lam-dong" | None, "relevant": True, "version": "…",
     "provinces": [{"slug", "code", "name", "role", "names": [...], "old_names": [...]}],
     "topics": [{"slug", "score"}]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleProvince, ArticleTopic, utcnow

ROLES = ("source", "primary", "mentioned")


def _province_rows(tags: Mapping[str, Any]) -> list[tuple]:
    rows = []
    for position, p in enumerate(tags.get("provinces") or []):
        if p["role"] not in ROLES:
            raise ValueError(f"unknown province role {p['role']!r} (one of {', '.join(ROLES)})")
        rows.append((p["slug"], p["role"], position, int(p["code"]), p["name"],
                     list(p.get("names") or []), list(p.get("old_names") or [])))  # fmt: skip
    return rows


def _current(article: Article) -> tuple:
    """An article's stored tags in the shape :func:`set_tags` compares with."""
    provinces = [(p.province, p.role, p.position, p.code, p.name, list(p.names or []),
                  list(p.old_names or [])) for p in article.provinces]  # fmt: skip
    topics = [(t.topic, t.position, round(t.score, 6)) for t in article.topics]
    return article.primary_province, article.relevant, provinces, topics


def set_tags(session: Session, article: Article, tags: Mapping[str, Any]) -> bool:
    """Give ``article`` these tags (replacing its old ones); the caller commits.

    Returns whether anything changed: re-tagging an article with the same result writes
    nothing (not even ``tagged_at``) but the version stamp when it moved, so ``vnnews
    retag`` is idempotent and cheap to repeat.
    """
    provinces = _province_rows(tags)
    topics = [(t["slug"], position, round(float(t.get("score", 0.0)), 6))
              for position, t in enumerate(tags.get("topics") or [])]  # fmt: skip
    wanted = (tags.get("primary_province"), bool(tags.get("relevant")), provinces, topics)
    version = tags.get("version")
    if _current(article) == wanted:
        if article.tagging_version != version:
            article.tagging_version = version
            session.flush()
        return False
    article.primary_province, article.relevant = wanted[0], wanted[1]
    article.provinces = [
        ArticleProvince(province=slug, role=role, position=pos, code=code, name=name,
                        names=names, old_names=old)
        for slug, role, pos, code, name, names, old in provinces
    ]  # fmt: skip
    article.topics = [ArticleTopic(topic=slug, position=pos, score=score)
                      for slug, pos, score in topics]  # fmt: skip
    article.tagging_version = version
    article.tagged_at = utcnow()
    session.flush()
    return True


def iter_for_tagging(
    session: Session, *, batch_size: int = 200, only_outdated: str | None = None
) -> Iterator[list[Article]]:
    """Every article in id order, a batch at a time (keyset pagination, flat memory).

    ``only_outdated``: a tagging version; articles already tagged with it are skipped.
    """
    stmt = select(Article).order_by(Article.id).limit(batch_size)
    if only_outdated is not None:
        stmt = stmt.where(
            (Article.tagging_version.is_(None)) | (Article.tagging_version != only_outdated)
        )
    last_id = 0
    while True:
        batch = list(session.scalars(stmt.where(Article.id > last_id)).all())
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def count_for_tagging(session: Session, *, only_outdated: str | None = None) -> int:
    stmt = select(func.count(Article.id))
    if only_outdated is not None:
        stmt = stmt.where(
            (Article.tagging_version.is_(None)) | (Article.tagging_version != only_outdated)
        )
    return session.scalar(stmt) or 0


def province_counts(session: Session, *, include_irrelevant: bool = False) -> dict[str, dict]:
    """Per province slug: ``{"articles": any role, "primary": as primary}``."""
    relevant = [] if include_irrelevant else [Article.relevant.is_not(False)]
    any_role = (
        select(ArticleProvince.province, func.count(func.distinct(ArticleProvince.article_id)))
        .join(Article, Article.id == ArticleProvince.article_id)
        .where(*relevant)
        .group_by(ArticleProvince.province)
    )
    counts: dict[str, dict] = {}
    for slug, n in session.execute(any_role).all():
        counts[slug] = {"articles": n, "primary": 0}
    primary = (
        select(Article.primary_province, func.count(Article.id))
        .where(Article.primary_province.is_not(None), *relevant)
        .group_by(Article.primary_province)
    )
    for slug, n in session.execute(primary).all():
        counts.setdefault(slug, {"articles": 0, "primary": 0})["primary"] = n
    return counts


def topic_counts(session: Session) -> dict[str, int]:
    stmt = select(ArticleTopic.topic, func.count(ArticleTopic.article_id)).group_by(
        ArticleTopic.topic
    )
    return dict(session.execute(stmt).all())


def tags_to_dict(article: Article) -> dict[str, Any]:
    """The export fields of DESIGN.md: ``primary_province``, ``provinces`` (``slug``, ``code``,
    ``name``, ``role``), ``topics`` (slugs) and ``relevant``; omitted for an untagged article."""
    if article.relevant is None:
        return {}
    return {
        "primary_province": article.primary_province,
        "provinces": [
            {"slug": p.province, "code": p.code, "name": p.name, "role": p.role}
            for p in article.provinces
        ],  # fmt: skip
        "topics": [t.topic for t in article.topics],
        "relevant": bool(article.relevant),
    }


def province_condition(provinces: Sequence[str]) -> ColumnElement[bool]:
    """The article is tagged with any of ``provinces``, in any role: a lookup of the
    article's own tag rows (primary key), never a list of the provinces' articles."""
    return exists().where(
        ArticleProvince.article_id == Article.id, ArticleProvince.province.in_(provinces)
    )


def topic_condition(topic: str) -> ColumnElement[bool]:
    """The article is tagged with ``topic`` (a primary key lookup)."""
    return exists().where(ArticleTopic.article_id == Article.id, ArticleTopic.topic == topic)


def tagged_filters(
    *, provinces: Sequence[str] = (), topics: Sequence[str] = (), include_irrelevant: bool = False
) -> list:
    """WHERE clauses: tagged with any of ``provinces`` (any role) and with every topic asked
    for; irrelevant articles left out unless asked for (untagged ones are kept).

    Each is checked per article (a correlated lookup), which suits a scan that stops early
    or a handful of candidates; :mod:`storage.timeline` is what finds a tag's articles."""
    conditions = []
    if provinces:
        conditions.append(province_condition(provinces))
    conditions.extend(topic_condition(topic) for topic in topics)
    if not include_irrelevant:
        conditions.append(Article.relevant.is_not(False))
    return conditions
