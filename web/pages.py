"""The browse pages: latest stories with filters, an article with its story's copies, and the
provinces at a glance.

Server-rendered HTML (Jinja2, autoescape on for every template), no JavaScript at all. Every
page is sent with a Content-Security-Policy that allows no script, so markup that got past
the sanitizer still could not run; escaping is the first defence, the policy the second.
The only markup marked safe is an article's stored ``body_html`` (sanitized by nh3 at
extraction), and it is sanitized once more here because an archive can also be written by
other tools.

Filters arrive as plain strings and are checked here, not by FastAPI's validation, so a bad
value gets a readable page saying what was wrong (an unknown province: the closest names)
instead of a JSON 422 — and never a 500. The HTML routes stay out of the OpenAPI description,
which is the API's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from crawler.tagging.gazetteer import Gazetteer, Province, core_key, load_gazetteer, name_key
from crawler.tagging.topics import Topic, find_topic, load_topics, suggest_topics
from storage.articles import query_articles
from storage.models import Article
from storage.runs import articles_per_source
from storage.sources import get_source
from storage.stories import story_members, versions_of
from storage.tags import province_counts
from web.db import sessions_of
from web.sanitize import clean_html
from web.urls import base_url

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

PAGE_SIZE = 20
MAX_PAGE = 500  # deep OFFSET paging is the API's cursor's job, not a reader's
MAX_Q = 200
MIN_YEAR, MAX_YEAR = 1900, 2999  # dates outside are typos (and year 9999 + 1 day overflows)
VIETNAM = timezone(timedelta(hours=7), "ICT")  # dates a reader picks are Vietnamese days
UI_LANG = "en"

# No script, no plugin, no framing; styles and images only. Images of article bodies come
# from the publishing sites.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' http: https: data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
FEED_FORMATS = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)
router = APIRouter(include_in_schema=False)


# --- rendering ------------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    """Autoescape on for every template, whatever its name; undefined names fail loudly in
    tests instead of printing nothing."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(local_time=_local_time, topic_label=_topic_label, ui_lang=UI_LANG)
    return env


def _site_prefix(request: Request) -> str:
    """The path the app is mounted at: the base URL's (``--base-url``, a trusted proxy's
    X-Forwarded-Prefix), else the ASGI root path; links stay host-relative."""
    prefix = urlsplit(base_url(request)).path or request.scope.get("root_path", "")
    return prefix.rstrip("/")


def _render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    prefix = _site_prefix(request)

    def link(path: str, params: Mapping[str, Any] | None = None, **more: Any) -> str:
        """A link to ``path`` on this site, with the non-empty parameters as its query."""
        values = {**(params or {}), **more}
        query = urlencode({k: v for k, v in values.items() if v not in (None, "")})
        return prefix + path + ("?" + query if query else "")

    context = {"feeds": [], "link": link, **context}
    html = _environment().get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def _local_time(value: datetime) -> str:
    return value.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M")


@cache
def _topics() -> dict[str, Topic]:
    return {t.slug: t for t in load_topics()}


def _topic_label(slug: str) -> str:
    topic = _topics().get(slug)
    return topic.label_en if topic else slug


def _clean_body(body_html: str | None, page_url: str | None = None) -> Markup | None:
    """The stored, sanitized body, sanitized again on the way out by the same allow-list as
    the feeds (the archive may have been written by other tools): the only thing these
    pages mark safe."""
    cleaned = clean_html(body_html, page_url)
    return Markup(cleaned) if cleaned else None  # noqa: S704 - sanitized just above


# --- the archive ----------------------------------------------------------------------------


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    with sessions_of(request)() as session:
        yield session


@dataclass(frozen=True)
class SourceChoice:
    key: str
    name: str


def _sources(session: Session) -> list[SourceChoice]:
    """Sources that have articles, by name, for the source filter."""
    choices = []
    for key in articles_per_source(session):
        source = get_source(session, key)
        if source is not None:
            choices.append(SourceChoice(key, source.name or key))
    return sorted(choices, key=lambda s: s.name.casefold())


# --- filters --------------------------------------------------------------------------------


@dataclass
class Problem:
    """A filter value we could not use: what was wrong, and links to what may have been meant."""

    field: str
    message: str
    suggestions: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # label, query
    status: int = 400


@dataclass
class Filters:
    """The list's filters as understood (a province is a unit of the gazetteer, a topic one of
    the taxonomy), plus what the user typed where it is shown back."""

    province: Province | None = None
    province_name: str = ""
    topic: Topic | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None
    since_text: str = ""
    until_text: str = ""
    q: str = ""
    page: int = 1

    @property
    def active(self) -> bool:
        return any((self.province, self.topic, self.source, self.since, self.until, self.q))

    def params(self, **override: Any) -> dict[str, str]:
        """The query string of this view (province as its slug), for links and paging."""
        values = {
            "province": self.province.slug if self.province else "",
            "topic": self.topic.slug if self.topic else "",
            "source": self.source or "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "q": self.q,
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({k: "" if v is None else str(v) for k, v in override.items()})
        return {k: v for k, v in values.items() if v}


def _param(query: Mapping[str, str], name: str, limit: int = 200) -> str:
    return " ".join((query.get(name) or "").split())[:limit]


def _parse_province(
    raw: str, gazetteer: Gazetteer
) -> tuple[Province | None, str | None, Problem | None]:
    """The unit ``raw`` names (slug, name, old name, any accents or case), a note when it was
    an old name, or a problem with the closest names."""
    if not raw:
        return None, None, None
    unit = gazetteer.resolve(raw)
    if unit is None:
        suggestions = []
        for name in gazetteer.suggest(raw):
            match = gazetteer.resolve(name)
            if match is not None:
                label = name if name == match.name_vi else f"{name} (now {match.name_vi})"
                suggestions.append((label, {"province": match.slug}))
        return (
            None,
            None,
            Problem("province", f"There is no province called “{raw}”.", suggestions, 404),
        )
    note = None
    keys = {name_key(raw), core_key(raw)}
    said = next((n for n in unit.old_names if {name_key(n), core_key(n)} & keys), None)
    if said:
        note = f"“{said}” is part of {unit.name_vi} since 1 July 2025: showing {unit.name_vi}."
    return unit, note, None


def _parse_topic(raw: str) -> tuple[Topic | None, Problem | None]:
    """The topic a slug or label names (the API's rules), or a problem with the closest."""
    if not raw:
        return None, None
    topic = find_topic(raw)
    if topic is not None:
        return topic, None
    topics = _topics()
    suggestions = [
        (topics[s].label_en, {"topic": s}) for s in suggest_topics(raw, 4) if s in topics
    ]
    return None, Problem("topic", f"There is no topic called “{raw}”.", suggestions, 404)


def _parse_source(raw: str, sources: list[SourceChoice]) -> tuple[str | None, Problem | None]:
    if not raw:
        return None, None
    keys = {s.key for s in sources}
    if raw in keys:
        return raw, None
    close = difflib.get_close_matches(raw, sorted(keys), n=4, cutoff=0.5)
    names = {s.key: s.name for s in sources}
    suggestions = [(names[k], {"source": k}) for k in close]
    return None, Problem("source", f"No articles from a source called “{raw}”.", suggestions, 404)


def _parse_date(raw: str, name: str, label: str) -> tuple[date | None, Problem | None]:
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        return None, Problem(
            name,
            f"“{raw}” is not a date for “{label}”: write it as YYYY-MM-DD, e.g. 2025-07-01 "
            f"(years {MIN_YEAR} to {MAX_YEAR}).",
        )
    return day, None


def _parse_page(raw: str) -> tuple[int, Problem | None]:
    if not raw:
        return 1, None
    if not re.fullmatch(r"\d{1,6}", raw) or not 1 <= int(raw) <= MAX_PAGE:
        return 1, Problem("page", f"“{raw}” is not a page number (1 to {MAX_PAGE}).")
    return int(raw), None


def parse_filters(
    query: Mapping[str, str], gazetteer: Gazetteer, sources: list[SourceChoice]
) -> tuple[Filters, list[str], list[Problem]]:
    """The filters of a list request, notes to show (an old province name), and problems."""
    problems: list[Problem] = []
    notes: list[str] = []
    filters = Filters()
    filters.province_name = _param(query, "province_name", 100)
    province_raw = filters.province_name or _param(query, "province", 100)
    filters.province, note, problem = _parse_province(province_raw, gazetteer)
    if problem is not None:  # shown back in the text box, to be corrected
        filters.province_name = province_raw
    notes.extend([note] if note else [])
    filters.topic, topic_problem = _parse_topic(_param(query, "topic", 100))
    filters.source, source_problem = _parse_source(_param(query, "source", 100), sources)
    filters.since_text, filters.until_text = _param(query, "since", 40), _param(query, "until", 40)
    filters.since, since_problem = _parse_date(filters.since_text, "since", "From")
    filters.until, until_problem = _parse_date(filters.until_text, "until", "To")
    filters.q = _param(query, "q", MAX_Q)
    filters.page, page_problem = _parse_page(_param(query, "page", 10))
    problems.extend(
        p
        for p in (
            problem,
            topic_problem,
            source_problem,
            since_problem,
            until_problem,
            page_problem,
        )
        if p is not None
    )
    if filters.since and filters.until and filters.until < filters.since:
        problems.append(Problem("until", "“To” is before “From”: no day can be in between."))
    return filters, notes, problems


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, VIETNAM)


# --- feeds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    href: str
    media_type: str
    title: str
    label: str


def feed_links(base: str, filters: Filters | None, title: str) -> list[FeedLink]:
    """The feeds with this view's filters: a province or topic feed when one is chosen (the
    other one, if both are, as a query parameter), else the all-stories feed; the rest of
    the filters as query parameters. Paging is the feed's own business."""
    params = filters.params(page=None) if filters else {}
    if filters and filters.until:  # the page's "To" is inclusive, the feeds' until is not
        params["until"] = (filters.until + timedelta(days=1)).isoformat()
    if filters and filters.province:
        path = f"/feeds/provinces/{filters.province.slug}"
        params.pop("province", None)
    elif filters and filters.topic:
        path = f"/feeds/topics/{filters.topic.slug}"
        params.pop("topic", None)
    else:
        path = "/feeds/all"
    query = "?" + urlencode(params) if params else ""
    return [
        FeedLink(f"{base}{path}.{ext}{query}", media_type, f"{title} ({label})", label)
        for ext, media_type, label in FEED_FORMATS
    ]


# --- routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceTag:
    slug: str
    name: str
    role: str


def _province_tags(article: Article, *, once: bool) -> list[ProvinceTag]:
    """An article's provinces in the tagger's order, the primary one first; ``once``: one
    entry per province (a province may hold several roles)."""
    rows = sorted(
        article.provinces, key=lambda p: (p.province != article.primary_province, p.position)
    )
    tags: list[ProvinceTag] = []
    for p in rows:
        if once and any(t.slug == p.province for t in tags):
            continue
        tags.append(ProvinceTag(p.province, p.name, p.role))
    return tags


@dataclass
class StoryItem:
    article: Article
    copies: int
    provinces: list[ProvinceTag]
    topics: list[str]


def _heading(filters: Filters, sources: list[SourceChoice]) -> str:
    names = {s.key: s.name for s in sources}
    parts = []
    if filters.province:
        parts.append(filters.province.name_vi)
    if filters.topic:
        parts.append(filters.topic.label_en)
    if filters.source:
        parts.append(names.get(filters.source, filters.source))
    if filters.q:
        parts.append(f"“{filters.q}”")
    return "Latest stories" + (": " + " · ".join(parts) if parts else "")


@router.api_route("/", response_class=HTMLResponse, name="browse_latest", methods=["GET", "HEAD"])
def latest(request: Request) -> HTMLResponse:
    """Latest stories, one item per story (its original), newest first, with filters."""
    gazetteer = load_gazetteer()
    with _session(request) as session:
        sources = _sources(session)
        filters, notes, problems = parse_filters(request.query_params, gazetteer, sources)
        stories: list[StoryItem] = []
        has_next = False
        if not problems:
            found = query_articles(
                session,
                source=filters.source,
                since=_day_start(filters.since) if filters.since else None,
                until=_day_start(filters.until + timedelta(days=1)) if filters.until else None,
                text=filters.q or None,
                provinces=[filters.province.slug] if filters.province else (),
                topics=[filters.topic.slug] if filters.topic else (),
                one_per_story=True,
                limit=PAGE_SIZE + 1,
                offset=(filters.page - 1) * PAGE_SIZE,
            )
            has_next = len(found) > PAGE_SIZE
            for article in found[:PAGE_SIZE]:
                members = story_members(session, article.story_id) if article.story_id else []
                stories.append(
                    StoryItem(
                        article,
                        max(len(members) - 1, 0),
                        _province_tags(article, once=True),
                        [t.topic for t in article.topics],
                    )
                )
    heading = _heading(filters, sources)
    status = max((p.status for p in problems), default=200)
    context = {
        "heading": heading,
        "filters": filters,
        "notices": notes,
        "problem_list": problems,
        "units": sorted(gazetteer.units, key=lambda u: u.name_ascii),
        "province_names": _province_names(gazetteer),
        "topics": list(_topics().values()),
        "sources": sources,
        "stories": stories,
        "first_number": (filters.page - 1) * PAGE_SIZE + 1,
        "max_q": MAX_Q,
        "has_next": has_next,
        "feeds": [] if problems else feed_links(base_url(request), filters, f"vnnews: {heading}"),
    }
    return _render(request, "index.html", context, status)


@cache
def _province_names(gazetteer: Gazetteer) -> list[str]:
    """Every name offered while typing: the 34 and the old provinces merged into them."""
    names = {u.name_vi for u in gazetteer.units}
    names.update(n for u in gazetteer.units for n in u.old_names)
    return sorted(names)


def _not_found(request: Request, heading: str, message: str) -> HTMLResponse:
    context = {"heading": heading, "problem_list": [Problem("article", message)]}
    return _render(request, "error.html", context, 404)


@router.api_route(
    "/articles/{article_id}",
    response_class=HTMLResponse,
    name="browse_article",
    methods=["GET", "HEAD"],
)
def article_view(request: Request, article_id: str) -> HTMLResponse:
    """One article: its text, provinces and topics, and every copy of its story."""
    if not re.fullmatch(r"\d{1,18}", article_id):
        return _not_found(
            request, "No such article", f"“{article_id[:80]}” is not an article number."
        )
    with _session(request) as session:
        article = session.get(Article, int(article_id))
        if article is None:
            return _not_found(request, "No such article", f"There is no article {article_id}.")
        members = story_members(session, article.story_id) if article.story_id else [article]
        versions = versions_of(session, [article.id])
        provinces = _province_tags(article, once=False)
        topic_slugs = [t.topic for t in article.topics]
    url = article.url or ""
    linkable = urlsplit(url).scheme in ("http", "https")
    paragraphs = [p for p in (article.text or "").split("\n\n") if p.strip()]
    filters = Filters(province=load_gazetteer().by_slug.get(article.primary_province or ""))
    context = {
        "article": article,
        "members": members,
        "versions": versions,
        "provinces": provinces,
        "topic_slugs": topic_slugs,
        "body_html": _clean_body(article.body_html, url if linkable else None),
        "paragraphs": paragraphs,
        "original_href": url if linkable else None,
        "original_host": urlsplit(url).hostname if linkable else None,
        "feeds": feed_links(
            base_url(request),
            filters if filters.province else None,
            f"vnnews: {filters.province.name_vi}" if filters.province else "vnnews: all stories",
        ),
    }
    return _render(request, "article.html", context)


@dataclass(frozen=True)
class ChartRow:
    unit: Province
    count: int
    width: float
    feed: str


@router.api_route(
    "/provinces", response_class=HTMLResponse, name="browse_provinces", methods=["GET", "HEAD"]
)
def provinces_view(request: Request, sort: str = "") -> HTMLResponse:
    """Articles per province, all 34, as a bar chart whose numbers are also text."""
    gazetteer = load_gazetteer()
    with _session(request) as session:
        counts = province_counts(session)
    base = base_url(request)
    peak = max((c["articles"] for c in counts.values()), default=0)
    rows = [
        ChartRow(
            unit,
            counts.get(unit.slug, {}).get("articles", 0),
            round(100 * counts.get(unit.slug, {}).get("articles", 0) / peak, 2) if peak else 0,
            f"{base}/feeds/provinces/{unit.slug}.rss",
        )
        for unit in gazetteer.units
    ]
    if sort == "name":
        rows.sort(key=lambda r: r.unit.name_ascii)
    else:
        rows.sort(key=lambda r: (-r.count, r.unit.name_ascii))
    context = {
        "rows": rows,
        "sort": "name" if sort == "name" else "count",
        "feeds": feed_links(base, None, "vnnews: all stories"),
    }
    return _render(request, "provinces.html", context)


@router.api_route("/static/{name}", name="browse_static", methods=["GET", "HEAD"])
def static_file(name: str) -> Response:
    """The stylesheet (and whatever else lies in web/static), never a path outside it."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})
