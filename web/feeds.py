"""Feed routes: ``/feeds/all``, ``/feeds/provinces/{slug}`` and ``/feeds/topics/{slug}``, each
as ``.rss``, ``.atom`` and ``.json``, each taking the API's filters as query parameters.

A province feed's path names one more province (``province`` parameters widen it: any of
them); a topic feed's path one more topic (``topic`` parameters narrow it: all of them). A
province or topic named otherwise than by its slug (``Lâm Đồng``, an old province) is
redirected to its slug's feed, so each feed has one address.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from crawler.tagging.gazetteer import DATA_FILE
from crawler.tagging.topics import load_topics
from storage.articles import Listed, list_members, load_articles
from storage.models import Article
from storage.stories import members_by_story
from web.conditional import conditional_response, etag_for
from web.db import get_session
from web.errors import NOT_FOUND_RESPONSES
from web.feedwriter import (
    CONTENT_TYPES,
    EPOCH,
    RENDERERS,
    Category,
    Copy,
    Entry,
    Feed,
    entry_content,
)
from web.filters import ArticleFilters, article_filters
from web.names import resolve_province, resolve_topic
from web.pagination import CURSOR_PATTERN, MAX_LIMIT, PageRequest, decode_cursor, fetch_listing
from web.sanitize import absolute, plain_text
from web.urls import FORWARDED_HEADERS, base_url, query_params, url_for_path

FORMATS = ("rss", "atom", "json")
_SLUG = Annotated[str, Path(description="slug (a name or an old name redirects to the slug)",
                            max_length=100)]  # fmt: skip


def feed_page(
    request: Request,
    limit: Annotated[
        int | None, Query(ge=1, le=MAX_LIMIT, description="entries per page (default 50)")
    ] = None,
    cursor: Annotated[
        str | None,
        Query(description="the page after (from the feed's next link)", pattern=CURSOR_PATTERN),
    ] = None,
) -> PageRequest:
    size = limit or request.app.state.settings.feed_size
    return PageRequest(limit=size, after=decode_cursor(cursor) if cursor else None)


def _changed(article: Article | Listed) -> datetime:
    """When anything shown of this article last changed in the archive."""
    times = [article.fetched_at, article.updated_at, article.tagged_at]
    return max(t for t in times if t is not None)


def _entry(
    article: Article, members: list[Article], base: str, topic_labels: dict[str, str]
) -> Entry:
    copies = []
    for member in members:
        url = absolute(member.url, member.url)
        if member.id == article.id or url is None:
            continue
        copies.append(Copy(url=url, title=plain_text(member.title), source=member.source.key,
                           lang=member.lang, relation=member.relation,
                           published=member.published_at))  # fmt: skip
    categories: dict[str, Category] = {}
    for tag in article.provinces:
        categories.setdefault(
            f"p:{tag.province}", Category(tag.province, tag.name, f"{base}/api/provinces")
        )
    for tag in article.topics:
        label = topic_labels.get(tag.topic, tag.topic)
        categories.setdefault(f"t:{tag.topic}", Category(tag.topic, label, f"{base}/api/topics"))
    updated = article.updated_at or article.modified_at or article.published_at
    url = absolute(article.url, article.url) or f"{base}/api/articles/{article.id}"
    return Entry(
        id=absolute(article.canonical_url, article.url) or url,
        url=url,
        title=plain_text(article.title),
        summary=plain_text(article.summary),
        content_html=entry_content(article.body_html, article.text, url, copies),
        published=article.published_at,
        updated=updated or article.fetched_at,
        author=plain_text(article.author) or None,
        lang=article.lang,
        source=article.source.key,
        categories=tuple(categories.values()),
        copies=tuple(copies),
    )


def render_feed(
    request: Request,
    session: Session,
    filters: ArticleFilters,
    page: PageRequest,
    *,
    fmt: str,
    path: str,
    title: str,
    description: str,
) -> Response:
    """The feed document of ``path`` (without extension) in ``fmt``, conditionally.

    The page is found and named (ETag) from listing rows alone; its articles are loaded and
    the document written only when the client's copy is not current."""
    listed, next_cursor = fetch_listing(session, filters, page, one_per_story=True)
    members = list_members(session, sorted({r.story_id for r in listed if r.story_id}))
    base = base_url(request)
    shown = [*listed, *(m for ms in members.values() for m in ms)]
    last_modified = max((_changed(a) for a in shown), default=EPOCH)
    settings = request.app.state.settings
    headers = {"Cache-Control": f"public, max-age={settings.feed_max_age}"}
    if not settings.base_url:
        headers["Vary"] = FORWARDED_HEADERS
    # Named by what it is made of, so that a 304 needs no rendering.
    etag = etag_for([
        rendering_stamp(), fmt, base, path, str(request.query_params), next_cursor,
        [(a.id, a.story_id, a.relation, _stamp(a)) for a in listed],
        sorted((story_id, sorted((m.id, m.relation, _stamp(m)) for m in ms))
               for story_id, ms in members.items()),
    ])  # fmt: skip

    def document() -> bytes:
        articles = load_articles(session, [row.id for row in listed])
        stories = members_by_story(session, members)  # the same stories, loaded whole
        topic_labels = {t.slug: t.label_vi for t in load_topics()}
        entries = [
            _entry(a, stories.get(a.story_id, []) if a.story_id else [], base, topic_labels)
            for a in articles
        ]
        params = query_params(request, drop=("cursor",))
        name = f"{path}.{fmt}"
        next_url = None
        if next_cursor:
            next_url = url_for_path(request, name, [*params, ("cursor", next_cursor)])
        feed = Feed(
            id=url_for_path(request, name, params),
            title=title,
            description=description,
            self_url=url_for_path(request, name, query_params(request)),
            first_url=url_for_path(request, name, params),
            home_url=f"{base}/",
            next_url=next_url,
            updated=last_modified,
            lang=filters.lang,
            entries=entries,
        )
        return RENDERERS[fmt](feed)

    return conditional_response(
        request, document, etag=etag, media_type=CONTENT_TYPES[fmt],
        last_modified=last_modified, headers=headers,
    )  # fmt: skip


def _stamp(article: Article | Listed) -> tuple:
    """What of an article a feed shows may have changed since: its content (hash, dates,
    re-fetch) and its tags."""
    return (article.content_hash, article.fetched_at, article.updated_at, article.tagged_at,
            article.published_at, article.modified_at)  # fmt: skip


@functools.cache
def rendering_stamp() -> str:
    """What writes a feed besides the archive: this web package's code, the gazetteer and
    taxonomy data, and the feed and sanitizer libraries' versions. A new vnnews thus gets
    new ETags (its documents may differ); a restart of the same one keeps them."""
    digest = hashlib.sha256()
    files = sorted(FilePath(__file__).parent.glob("*.py")) + sorted(DATA_FILE.parent.glob("*"))
    for file in filter(FilePath.is_file, files):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    for package in ("feedgen", "nh3", "lxml"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def _described(filters: ArticleFilters, subject: str) -> str:
    text = (
        f"Science, technology, innovation and digital-transformation news{subject}, "
        "one entry per story (its copies listed in the entry)."
    )
    parts = []
    if filters.provinces:
        parts.append("provinces " + ", ".join(filters.provinces))
    if filters.topics:
        parts.append("topics " + ", ".join(filters.topics))
    for name in ("source", "lang", "q"):
        value = getattr(filters, name)
        if value:
            parts.append(f"{name} {value}")
    if filters.since:
        parts.append(f"since {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    return text + (f" Filtered: {'; '.join(parts)}." if parts else "")


def _redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(url_for_path(request, path, query_params(request)), status_code=308)


def _responses(fmt: str) -> dict[int | str, dict[str, Any]]:
    media = CONTENT_TYPES[fmt].split(";", 1)[0]
    schema: dict[str, Any] = {"type": "object"} if fmt == "json" else {"type": "string"}
    return {
        200: {"description": f"the feed ({media})", "content": {media: {"schema": schema}}},
        304: {"description": "not modified (If-None-Match / If-Modified-Since)"},
        308: {"description": "a name that is not the slug: the slug's feed"},
        **NOT_FOUND_RESPONSES,
    }


SessionDep = Annotated[Session, Depends(get_session)]
FiltersDep = Annotated[ArticleFilters, Depends(article_filters)]
PageDep = Annotated[PageRequest, Depends(feed_page)]


def _all_route(fmt: str) -> Callable[..., Response]:
    def feed(request: Request, session: SessionDep, filters: FiltersDep, page: PageDep) -> Response:
        return render_feed(request, session, filters, page, fmt=fmt, path="/feeds/all",
                           title="vnnews: all stories", description=_described(filters, ""))  # fmt: skip

    feed.__doc__ = f"Every story, newest first ({fmt})."
    return feed


def _province_route(fmt: str) -> Callable[..., Response]:
    def feed(
        request: Request, slug: _SLUG, session: SessionDep, filters: FiltersDep, page: PageDep
    ) -> Response:
        province = resolve_province(slug, param="slug")
        if province.slug != slug:
            return _redirect(request, f"/feeds/provinces/{province.slug}.{fmt}")
        filters = filters.with_province(province.slug)
        name = f"{province.name_vi} ({province.name_en})"
        return render_feed(request, session, filters, page, fmt=fmt,
                           path=f"/feeds/provinces/{province.slug}",
                           title=f"vnnews: {province.name_vi}",
                           description=_described(filters, f" about {name}"))  # fmt: skip

    feed.__doc__ = f"Stories tagged with a province in any role ({fmt})."
    return feed


def _topic_route(fmt: str) -> Callable[..., Response]:
    def feed(
        request: Request, slug: _SLUG, session: SessionDep, filters: FiltersDep, page: PageDep
    ) -> Response:
        topic = resolve_topic(slug, param="slug")
        if topic.slug != slug:
            return _redirect(request, f"/feeds/topics/{topic.slug}.{fmt}")
        filters = filters.with_topic(topic.slug)
        return render_feed(request, session, filters, page, fmt=fmt,
                           path=f"/feeds/topics/{topic.slug}",
                           title=f"vnnews: {topic.label_vi}",
                           description=_described(filters, f" on {topic.label_en}"))  # fmt: skip

    feed.__doc__ = f"Stories tagged with a topic ({fmt})."
    return feed


def build_router() -> APIRouter:
    router = APIRouter(tags=["feeds"])
    for fmt in FORMATS:
        for kind, path, factory in (
            ("all", "/feeds/all", _all_route),
            ("province", "/feeds/provinces/{slug}", _province_route),
            ("topic", "/feeds/topics/{slug}", _topic_route),
        ):
            router.add_api_route(
                f"{path}.{fmt}",
                factory(fmt),
                methods=["GET"],
                response_class=Response,
                responses=_responses(fmt),
                name=f"feed_{kind}_{fmt}",
                operation_id=f"feed_{kind}_{fmt}",
                summary=f"{kind.capitalize()} feed ({fmt})",
            )
    return router


router = build_router()
