"""The near-duplicate index in the archive: fingerprints, LSH bands, rare features by day, and
the credit/alternate links between articles.

Every lookup here is an indexed equality or a bounded range on one key, and every candidate
list is capped, so finding an article's candidates costs the same whether the archive holds ten
thousand articles or a million (``benchmarks/dedup_scale.py`` measures it). The decision of
what is a duplicate is not made here: ``crawler.dedup`` compares what these functions return.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, desc, select
from sqlalchemy.orm import Session

from storage.models import (
    Article,
    ArticleFingerprint,
    ArticleLink,
    ArticleUrl,
    DedupBand,
    DedupFeature,
)

# The most candidates one lookup returns (newest first): bounds the work per new article.
MAX_CANDIDATES = 200
CREDIT, ALTERNATE = "credit", "alternate"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def day_number(when: datetime | None) -> int | None:
    """Days since 1970-01-01 (UTC) of an aware datetime; the feature index's time axis."""
    return None if when is None else (when.astimezone(UTC) - _EPOCH).days


@dataclass(frozen=True)
class Candidate:
    """What is stored of another article, to compare a new one with."""

    article_id: int
    story_id: int | None
    text_hash: str
    signature: bytes
    features: frozenset[str]
    lang: str | None
    published_at: datetime | None


def save_fingerprint(
    session: Session,
    article_id: int,
    *,
    text_hash: str,
    signature: bytes,
    features: Iterable[str],
    lang: str | None,
    published_at: datetime | None,
    bands: Sequence[int],
    feature_keys: Sequence[int],
    version: str,
) -> None:
    """Index an article (replacing what was indexed of it before); the caller commits."""
    for table in (DedupBand, DedupFeature):
        session.execute(delete(table).where(table.article_id == article_id))
    session.merge(ArticleFingerprint(
        article_id=article_id, text_hash=text_hash, signature=signature,
        features=sorted(features), lang=lang, published_at=published_at, version=version,
    ))  # fmt: skip
    session.add_all(DedupBand(band_key=key, article_id=article_id) for key in set(bands))
    day = day_number(published_at)
    if day is not None:
        session.add_all(
            DedupFeature(feature_key=key, day=day, article_id=article_id)
            for key in set(feature_keys)
        )
    session.flush()


def _candidates(session: Session, ids_query, exclude: int) -> list[Candidate]:  # noqa: ANN001
    stmt = (
        select(ArticleFingerprint, Article.story_id)
        .join(Article, Article.id == ArticleFingerprint.article_id)
        .where(ArticleFingerprint.article_id.in_(ids_query), Article.id != exclude)
        .order_by(desc(Article.id))
        .limit(MAX_CANDIDATES)
    )
    return [
        Candidate(article_id=fp.article_id, story_id=story_id, text_hash=fp.text_hash,
                  signature=fp.signature, features=frozenset(fp.features or ()), lang=fp.lang,
                  published_at=fp.published_at)
        for fp, story_id in session.execute(stmt).all()
    ]  # fmt: skip


def candidates(
    session: Session,
    article_id: int,
    *,
    text_hash: str,
    bands: Sequence[int],
    feature_keys: Sequence[int],
    published_at: datetime | None,
    window_days: int,
) -> list[Candidate]:
    """Articles that may be the same report: the same text hash, a shared LSH band, or a
    shared rare feature published within ``window_days``. Capped, newest first."""
    found: dict[int, Candidate] = {}
    if text_hash:
        same = select(ArticleFingerprint.article_id).where(
            ArticleFingerprint.text_hash == text_hash
        )
        found.update((c.article_id, c) for c in _candidates(session, same, article_id))
    if bands:
        banded = (
            select(DedupBand.article_id)
            .where(DedupBand.band_key.in_(set(bands)))
            .limit(MAX_CANDIDATES * 4)
        )
        found.update((c.article_id, c) for c in _candidates(session, banded, article_id))
    day = day_number(published_at)
    if feature_keys and day is not None:
        near_in_time = (
            select(DedupFeature.article_id)
            .where(
                DedupFeature.feature_key.in_(set(feature_keys)),
                DedupFeature.day.between(day - window_days, day + window_days),
            )
            .limit(MAX_CANDIDATES * 4)
        )
        found.update((c.article_id, c) for c in _candidates(session, near_in_time, article_id))
    return list(found.values())


def save_links(session: Session, article_id: int, links: Iterable[tuple[str, str]]) -> None:
    """Record the (canonical URL, kind) pairs an article points at (credit, alternate)."""
    session.execute(delete(ArticleLink).where(ArticleLink.article_id == article_id))
    session.add_all(
        ArticleLink(article_id=article_id, url=url, kind=kind) for url, kind in set(links)
    )
    session.flush()


def articles_at(session: Session, urls: Iterable[str]) -> dict[str, int]:
    """The archived article each (canonical) URL belongs to, through every alias."""
    urls = list(set(urls))
    if not urls:
        return {}
    found = dict(session.execute(
        select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))
    ).all())  # fmt: skip
    missing = [u for u in urls if u not in found]
    if missing:
        found.update(session.execute(
            select(Article.canonical_url, Article.id).where(Article.canonical_url.in_(missing))
        ).all())  # fmt: skip
    return found


def articles_linking_to(session: Session, urls: Iterable[str]) -> list[tuple[int, str]]:
    """(article id, kind) of the articles that credit or list as an edition any of ``urls``."""
    urls = list(set(urls))
    if not urls:
        return []
    stmt = (
        select(ArticleLink.article_id, ArticleLink.kind)
        .where(ArticleLink.url.in_(urls))
        .limit(MAX_CANDIDATES)
    )
    return [(row.article_id, row.kind) for row in session.execute(stmt).all()]


def urls_of(session: Session, article_id: int) -> list[str]:
    """Every URL an article is known under (its aliases)."""
    return list(
        session.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == article_id)).all()
    )
