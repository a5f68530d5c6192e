"""The JSON API: articles (filtered, full text, cursor-paged, one per story by default), one
article with its story's copies, provinces, topics, sources with their health, and /healthz."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from crawler.source_health import health_label, source_rows
from crawler.tagging.gazetteer import load_gazetteer
from crawler.tagging.topics import load_topics
from storage.migrate import current_revisions
from storage.models import Article
from storage.runs import articles_per_source, last_runs
from storage.sources import get_source
from storage.stories import story_members, story_sizes
from storage.tags import province_counts, topic_counts
from web import schemas
from web.db import get_session
from web.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSES, ApiError, ErrorBody, error_response
from web.filters import ArticleFilters, article_filters
from web.pagination import PageRequest, fetch_page, page_request
from web.serialize import article_detail, article_summary
from web.urls import query_params, url_for_path

router = APIRouter()

SessionDep = Annotated[Session, Depends(get_session)]
MAX_ID = 2**31 - 1


def _cache(request: Request, response: Response) -> None:
    response.headers["Cache-Control"] = f"public, max-age={request.app.state.settings.api_max_age}"


def feed_links(request: Request, path: str) -> dict[str, str]:
    """The three feed URLs of a feed path such as ``/feeds/provinces/lam-dong``."""
    return {fmt: url_for_path(request, f"{path}.{fmt}") for fmt in ("rss", "atom", "json")}


@router.get(
    "/api/articles",
    response_model=schemas.ArticleList,
    responses=NOT_FOUND_RESPONSES,
    tags=["articles"],
    summary="List articles, newest first",
)
def list_articles(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: Annotated[ArticleFilters, Depends(article_filters)],
    page: Annotated[PageRequest, Depends(page_request)],
    copies: Annotated[bool, Query(description="every article; by default one per story")] = False,
) -> dict[str, Any]:
    """Newest published first (undated last). One item per story — its original where the
    original matches the filters, else the earliest matching copy — unless ``copies=true``.
    Page with ``cursor`` (``next_cursor`` of the previous page; also in the ``Link`` header).
    """
    articles, next_cursor = fetch_page(session, filters, page, one_per_story=not copies)
    sizes = story_sizes(session, [a.story_id for a in articles if a.story_id is not None])
    items = [article_summary(request, a, sizes.get(a.story_id or 0, 1)) for a in articles]
    if next_cursor:
        params = [*query_params(request, drop=("cursor",)), ("cursor", next_cursor)]
        response.headers["Link"] = f'<{url_for_path(request, "/api/articles", params)}>; rel="next"'
    _cache(request, response)
    return {"items": items, "next_cursor": next_cursor, "limit": page.limit}


@router.get(
    "/api/articles/{article_id}",
    response_model=schemas.ArticleDetail,
    responses=NOT_FOUND_RESPONSES,
    tags=["articles"],
    summary="One article with its text, sanitized HTML and its story's copies",
)
def get_article(
    request: Request,
    response: Response,
    session: SessionDep,
    article_id: Annotated[int, Path(ge=1, le=MAX_ID, description="article id")],
) -> dict[str, Any]:
    article = session.get(Article, article_id)
    if article is None:
        raise ApiError(404, "unknown_article", f"no article with id {article_id}",
                       param="article_id")  # fmt: skip
    members = story_members(session, article.story_id) if article.story_id else [article]
    _cache(request, response)
    return article_detail(request, article, members)


@router.get(
    "/api/provinces",
    response_model=list[schemas.Province],
    responses=ERROR_RESPONSES,
    tags=["provinces and topics"],
    summary="The 34 provinces with their old names and article counts",
)
def list_provinces(
    request: Request,
    response: Response,
    session: SessionDep,
    include_irrelevant: Annotated[bool, Query(description="count those too")] = False,
) -> list[dict[str, Any]]:
    counts = province_counts(session, include_irrelevant=include_irrelevant)
    rows = []
    for unit in load_gazetteer().units:
        count = counts.get(unit.slug, {"articles": 0, "primary": 0})
        rows.append({
            "slug": unit.slug, "code": unit.code, "name": unit.name_vi, "name_en": unit.name_en,
            "kind": unit.kind, "old_names": list(unit.old_names),
            "articles": count["articles"], "primary": count["primary"],
            "feeds": feed_links(request, f"/feeds/provinces/{unit.slug}"),
        })  # fmt: skip
    _cache(request, response)
    return rows


@router.get(
    "/api/topics",
    response_model=list[schemas.Topic],
    tags=["provinces and topics"],
    summary="The topics of the taxonomy with article counts",
)
def list_topics(request: Request, response: Response, session: SessionDep) -> list[dict[str, Any]]:
    counts = topic_counts(session)
    _cache(request, response)
    return [
        {"slug": t.slug, "label_vi": t.label_vi, "label_en": t.label_en,
         "articles": counts.get(t.slug, 0), "feeds": feed_links(request, f"/feeds/topics/{t.slug}")}
        for t in load_topics()
    ]  # fmt: skip


def _last_run(run: Any) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"started_at": run.started_at, "finished_at": run.finished_at, "status": run.status,
            "pages": run.pages, "new": run.new, "errors": run.errors}  # fmt: skip


@router.get(
    "/api/sources",
    response_model=list[schemas.Source],
    tags=["sources"],
    summary="The sources with their health after their last crawl",
)
def list_sources(request: Request, response: Response, session: SessionDep) -> list[dict[str, Any]]:
    """Registered sources (built-ins and config entries) as ``vnnews sources`` lists them,
    then sources known only to the archive (imports)."""
    settings = request.app.state.settings
    runs = last_runs(session)
    counts = articles_per_source(session)
    rows = source_rows(_sites(settings.sites_file), runs)
    for key in counts:
        if key not in {row["key"] for row in rows}:
            rows.append(_archive_only_source(session, key, runs.get(key)))
    for row in rows:
        row["articles"] = counts.get(row["key"], 0)
        row["last_run"] = _last_run(runs.get(row["key"]))
    _cache(request, response)
    return rows


def _sites(sites_file: str | None) -> dict[str, Any]:
    """The registered sources; a malformed user file leaves its entries out (``vnnews sources
    check`` says what is wrong) rather than failing the listing."""
    from pathlib import Path as FilePath

    from spiders.portal_config import ConfigError
    from spiders.registry import SITES, all_sites

    try:
        return all_sites(FilePath(sites_file) if sites_file else None)
    except ConfigError:
        try:
            return all_sites(None)
        except ConfigError:
            return dict(SITES)


def _archive_only_source(session: Session, key: str, run: Any) -> dict[str, Any]:
    """A source the archive knows but the registry does not (``vnnews import``)."""
    source = get_source(session, key)
    return {
        "key": key, "name": source.name if source else key, "host": source.host if source else "",
        "kind": "archive", "spider": source.spider if source else "",
        "province": source.province if source else None,
        "langs": [source.lang] if source and source.lang else [], "verified": False,
        "health": health_label(run), "start_urls": [],
    }  # fmt: skip


@router.get(
    "/healthz",
    response_model=schemas.Health,
    responses={503: {"model": ErrorBody, "description": "the archive cannot be read"}},
    tags=["health"],
    summary="Whether the server can read the archive",
)
def healthz(request: Request, response: Response) -> Any:
    settings = request.app.state.settings
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            revision = ",".join(sorted(current_revisions(connection)))
    except Exception as exc:  # noqa: BLE001 - any failure to read is "unhealthy"
        return error_response(
            503, ErrorBody(error="archive_unavailable", message=f"cannot read the archive: {exc}")
        )
    response.headers["Cache-Control"] = "no-store"
    return {"status": "ok", "database": engine.dialect.name, "read_only": settings.read_only,
            "schema_revision": revision}  # fmt: skip
