"""The dedup stage: put a stored article into its story.

Evidence, strongest first, as the issue orders it:

1. links — the article credits another (``credited_url``) or lists it as a language edition
   (hreflang ``alternates``), another article credits or lists this one, or both point at the
   same original (two copies of an article not archived yet);
2. text — identical normalized text, near-identical text (MinHash LSH) and, for translations
   without a link, shared language-independent features in a date window:
   :func:`crawler.dedup.match.compare` decides, on candidates the index returns.

Every piece of evidence joins the two articles' stories (a merge keeps every article) and the
story is re-anchored, so a credited original crawled after its copy becomes the original. The
glue here is thin: fingerprints and decisions live in :mod:`crawler.dedup`, SQL in
:mod:`storage.dedup` and :mod:`storage.stories`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crawler.dedup.fingerprint import FINGERPRINT_VERSION, Fingerprint, fingerprint
from crawler.dedup.match import DATE_WINDOW_DAYS, compare
from crawler.dedup.urls import canonical_url
from storage.dedup import (
    ALTERNATE,
    CREDIT,
    Candidate,
    articles_at,
    articles_linking_to,
    candidates,
    save_fingerprint,
    save_links,
    urls_of,
)
from storage.models import Article
from storage.stories import join_story


def _links(article: Article) -> set[tuple[str, str]]:
    """The (canonical URL, kind) pairs the article points at, never itself."""
    own = canonical_url(article.canonical_url)
    links = set()
    if article.credited_url and article.credited_url.startswith(("http://", "https://")):
        links.add((canonical_url(article.credited_url), CREDIT))
    for url in (article.alternates or {}).values():
        if url.startswith(("http://", "https://")):
            links.add((canonical_url(url), ALTERNATE))
    return {(url, kind) for url, kind in links if url != own}


def _as_fingerprint(candidate: Candidate) -> Fingerprint:
    return Fingerprint(
        text_hash=candidate.text_hash, signature=candidate.signature, bands=(),
        features=candidate.features, feature_keys=(), lang=candidate.lang,
        published_at=candidate.published_at,
    )  # fmt: skip


def dedup_stored(session: Session, article: Article) -> int:
    """Index an archived article and join it to its story; returns the story id."""
    fp = fingerprint(article.title, article.summary, article.text, article.lang,
                     article.published_at)  # fmt: skip
    save_fingerprint(
        session, article.id, text_hash=fp.text_hash, signature=fp.signature,
        features=fp.features, lang=fp.lang, published_at=fp.published_at, bands=fp.bands,
        feature_keys=fp.feature_keys, version=str(FINGERPRINT_VERSION),
    )  # fmt: skip
    links = _links(article)
    save_links(session, article.id, links)

    duplicates: set[int] = set()
    # 1. links: what it points at, what points at it, and what points where it points
    duplicates.update(articles_at(session, (url for url, _ in links)).values())
    duplicates.update(aid for aid, _ in articles_linking_to(session, urls_of(session, article.id)))
    duplicates.update(aid for aid, _ in articles_linking_to(session, (url for url, _ in links)))
    # 2. text, on the candidates the index returns
    for candidate in candidates(
        session, article.id, text_hash=fp.text_hash, bands=fp.bands,
        feature_keys=fp.feature_keys, published_at=fp.published_at,
        window_days=DATE_WINDOW_DAYS,
    ):  # fmt: skip
        if candidate.article_id not in duplicates and compare(fp, _as_fingerprint(candidate)):
            duplicates.add(candidate.article_id)
    duplicates.discard(article.id)
    return join_story(session, article, duplicates)
