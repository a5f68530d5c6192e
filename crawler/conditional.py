"""Conditional GET for feeds, sitemaps and listing pages, with validators that can be trusted.

- :class:`ConditionalGetMiddleware` (downloader middleware, ``VNNEWS_CONDITIONAL_ENABLED``):
  a discovery request (``meta["vnnews_role"]`` feed, sitemap or listing) carries
  ``If-None-Match`` / ``If-Modified-Since`` from the row :mod:`storage.validators` keeps for
  its URL, and ``meta["vnnews_complete"] = True`` when there is such a row (an earlier crawl
  processed the page and everything behind it). A ``304`` goes on to the spider, whose
  callbacks read it as "nothing new here" (requests allow it through
  ``meta["handle_httpstatus_list"]``). ``VNNEWS_REFRESH`` sends no conditional headers, so
  every page is fetched whole; validators are still recorded.
- :class:`DiscoveryMiddleware` (spider middleware): every request yielded while parsing a
  discovery page carries ``meta["vnnews_via"]``, the discovery URLs that led to it (start page
  first), so a failure far down can be charged to the pages above it; a ``304`` never reaches
  a callback; a listing whose pagination stopped follows no further page.

When to store validators is the whole point. Storing a feed's ETag as soon as the feed arrives
would be wrong: a crawl killed before the feed's articles were fetched would get ``304`` next
time and never see those articles again. So validators of ``200`` answers are only held in
memory, and written when the crawl closes with reason ``finished`` (everything scheduled was
processed; no ``--max-articles`` cut, no shutdown, no kill), and only for pages none of whose
descendants failed: a download error, an HTTP error, an unreadable feed, sitemap or listing,
an extractor crash or a pipeline error (the spider reports its failures through the
:data:`page_failed` signal; Scrapy's ``spider_error`` and ``item_error`` are watched too).
Pages with a failure behind them lose their row instead, so the next crawl fetches them whole
and retries what failed. Articles the pipeline rejects (no title, no text) are not failures:
fetching them again would give the same answer.

Stats: ``vnnews/conditional/sent`` (requests with validators), ``vnnews/conditional/not_modified``
(``304`` answers), ``vnnews/conditional/stored`` (rows written at the end),
``vnnews/conditional/forgotten`` (pages not trusted because something behind them failed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.archive import archive_sessions
from crawler.dedup.urls import canonical_url
from storage.articles import article_known
from storage.validators import (
    Validators,
    forget_validators,
    get_validators,
    save_validators,
    touch_validators,
)

logger = logging.getLogger(__name__)

DISCOVERY_ROLES = frozenset({"feed", "sitemap", "listing"})
NOT_MODIFIED = 304
FINISHED = "finished"
VIA = "vnnews_via"  # meta: the discovery URLs that led to a request, start page first
COMPLETE = "vnnews_complete"  # meta: a finished crawl processed this page and all behind it
STOP_PAGINATION = "vnnews_stop_pagination"  # response meta: follow no further listing page

# Sent by the spider when a request or a page fails: ``meta`` of the failed request or
# response, ``url`` of the failed page.
page_failed = object()


def is_discovery(meta: Mapping[str, Any]) -> bool:
    return meta.get("vnnews_role") in DISCOVERY_ROLES


def failed_chain(meta: Mapping[str, Any] | None, url: str | None = None) -> set[str]:
    """The pages a failure is charged to: every discovery page that led to it, and itself."""
    chain = set((meta or {}).get(VIA) or ())
    if url:
        chain.add(url)
    return chain


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.sessions = archive_sessions(crawler.settings)
        self.refresh = crawler.settings.getbool("VNNEWS_REFRESH")
        self.fetched: dict[str, Validators] = {}  # 200 answers this crawl, by URL
        self.unchanged: set[str] = set()  # 304 answers this crawl
        self.failed: set[str] = set()  # pages with a failure behind them

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("VNNEWS_CONDITIONAL_ENABLED"):
            raise NotConfigured
        mw = cls(crawler)
        crawler.signals.connect(mw.page_failed, signal=page_failed)
        crawler.signals.connect(mw.spider_error, signal=signals.spider_error)
        crawler.signals.connect(mw.item_error, signal=signals.item_error)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    # -- requests and responses -----------------------------------------------------------

    def process_request(self, request: Request) -> None:
        if not is_discovery(request.meta):
            return
        with self.sessions() as session:
            row = get_validators(session, request.url)
        if row is None:
            return
        request.meta[COMPLETE] = True
        if self.refresh or not (row.etag or row.last_modified):
            return
        if row.etag:
            request.headers[b"If-None-Match"] = row.etag
        if row.last_modified:
            request.headers[b"If-Modified-Since"] = row.last_modified
        self.stats.inc_value("vnnews/conditional/sent")

    def process_response(self, request: Request, response: Response) -> Response:
        if not is_discovery(request.meta):
            return response
        if response.status == NOT_MODIFIED:
            self.stats.inc_value("vnnews/conditional/not_modified")
            self.unchanged.add(request.url)
        elif response.status == 200:
            self.fetched[request.url] = Validators(
                request.url,
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
            )
        return response

    # -- failures ---------------------------------------------------------------------------

    def page_failed(self, meta: Mapping[str, Any] | None = None, url: str | None = None) -> None:
        self.failed |= failed_chain(meta, url)

    def spider_error(self, failure: Any, response: Response) -> None:
        self.failed |= failed_chain(response.meta, response.url)

    def item_error(self, item: Any, response: Response | None, failure: Any) -> None:
        if response is not None:
            self.failed |= failed_chain(response.meta, response.url)

    # -- the end ----------------------------------------------------------------------------

    def spider_closed(self, spider: Any, reason: str) -> None:
        if reason != FINISHED:
            if self.fetched:
                logger.info(
                    "crawl ended with %r: no validators stored (the next crawl fetches "
                    "feeds, sitemaps and listings whole)", reason
                )  # fmt: skip
            return
        trusted = [v for url, v in self.fetched.items() if url not in self.failed]
        untrusted = [url for url in self.fetched if url in self.failed]
        with self.sessions() as session:
            stored = save_validators(session, trusted)
            forgotten = forget_validators(session, untrusted)
            touch_validators(session, self.unchanged - self.failed)
            session.commit()
        self.stats.set_value("vnnews/conditional/stored", stored)
        if untrusted:
            self.stats.set_value("vnnews/conditional/forgotten", len(untrusted))
            logger.info(
                "%d discovery page(s) led to failures and will be fetched whole next time "
                "(%d row(s) removed)", len(untrusted), forgotten
            )  # fmt: skip


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    if not value:
        return None
    return value.decode("latin-1").strip() or None


class NotModified(IgnoreRequest):
    """A discovery page answered ``304``: nothing new behind it (the request's errback ignores
    it, as it ignores every ``IgnoreRequest``)."""


class DiscoveryMiddleware(BaseSpiderMiddleware):
    """What discovery pages pass on to the requests they lead to.

    - every request yielded while parsing a feed, sitemap or listing page carries
      ``meta["vnnews_via"]``: the discovery URLs that led to it, start page first;
    - a ``304`` answer never reaches a callback (raised as :class:`NotModified`), whatever a
      site family's ``parse_listing`` override would make of an empty page; the base
      callbacks check too, for when this middleware is switched off;
    - once a listing callback decided that its pagination stops
      (``response.meta["vnnews_stop_pagination"]``), no further listing page it yields is
      followed, including the next pages a family guesses on its own.
    """

    def process_spider_input(self, response: Response) -> None:
        if response.status == NOT_MODIFIED and is_discovery(response.meta):
            raise NotModified(f"not modified: {response.url}")

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is None or not is_discovery(response.meta):
            return request
        if response.meta.get(STOP_PAGINATION) and request.meta.get("vnnews_role") == "listing":
            return None
        chain: Iterable[str] = response.meta.get(VIA) or ()
        request.meta[VIA] = (*chain, response.url)
        return request


def archived_urls(settings: BaseSettings, urls: Iterable[str]) -> set[str]:
    """The URLs among ``urls`` whose article is archived (as ``KnownArticleMiddleware`` asks)."""
    with archive_sessions(settings)() as session:
        return {
            url
            for url in urls
            if article_known(session, canonical_url(url)) or article_known(session, url)
        }
