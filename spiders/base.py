"""Discovery shared by every site family: feeds, sitemaps and listing pages lead to articles.

A family module subclasses :class:`ArticleSpider` with its ``site`` and page classes; the
callbacks here only follow links and yield ``page.to_item()``. Every failure is logged with
its reason and counted under ``vnnews/errors/<kind>``; the crawl goes on.

Incremental crawls (see :mod:`crawler.conditional`): feeds, sitemaps and listing pages are
requested conditionally and may answer ``304 Not Modified``, which the callbacks read as
"nothing new here". A listing whose start page a finished crawl already processed in full
(``meta["vnnews_complete"]``) stops paginating at the first page holding only archived
articles (``vnnews/listing/stopped_known``); a first or interrupted crawl walks its pagination
to ``VNNEWS_MAX_LISTING_PAGES``, so work left undone is found again. ``VNNEWS_REFRESH`` turns
the stop off. Every failure is also reported through :data:`crawler.conditional.page_failed`,
so the pages that led to it are fetched whole next time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import exceptions as exc
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from crawler.conditional import COMPLETE, NOT_MODIFIED, STOP_PAGINATION, archived_urls, page_failed
from crawler.extract.cascade import FEED, SELECTOR
from crawler.extract.charset import looks_truncated
from crawler.extract.feeds import parse_feed
from crawler.extract.listing import parse_listing
from crawler.extract.page import ArticlePage
from crawler.extract.sitemaps import parse_sitemap
from crawler.health import HEALTH_FIELDS
from crawler.items import ArticleItem
from spiders.registry import Site

ARTICLE, FEED_ROLE, SITEMAP, LISTING = "article", "feed", "sitemap", "listing"
DISCOVERY = (FEED_ROLE, SITEMAP, LISTING)
STOP_KNOWN = "stop_known"  # meta: this listing's pagination stops at an all-archived page


def failure_kind(failure: Failure) -> tuple[str, str]:
    """A stats key and a sentence for a failed request."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", f"HTTP {status}"
    if failure.check(net_error.DNSLookupError, exc.CannotResolveHostError):
        return "dns", "DNS lookup failed (no network, or the host name is wrong)"
    if failure.check(
        net_error.TimeoutError,
        net_error.TCPTimedOutError,
        defer.TimeoutError,
        exc.DownloadTimeoutError,
    ):
        return "timeout", "timed out"
    if failure.check(net_error.ConnectionRefusedError, exc.DownloadConnectionRefusedError):
        return "connection_refused", "connection refused"
    if failure.check(exc.DownloadCancelledError, defer.CancelledError) and "size" in str(
        failure.value
    ):
        return "too_large", "larger than the download size limit (DOWNLOAD_MAXSIZE)"
    if failure.check(exc.ResponseDataLossError):
        return "data_loss", "the response ended early (incomplete body)"
    if failure.check(
        net_error.ConnectError,
        net_error.ConnectionLost,
        exc.DownloadFailedError,
        exc.DownloadCancelledError,
    ):
        return "connection", f"connection failed: {failure.value}"
    return "other", f"{failure.type.__name__}: {failure.value}"


class ArticleSpider(scrapy.Spider):
    site: ClassVar[Site]
    article_page: ClassVar[type[ArticlePage]] = ArticlePage
    listing_item_css: ClassVar[str | None] = None
    listing_next_css: ClassVar[str] = "a[rel=next]"

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # noqa: ANN001, ANN206
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_listing_pages = settings.getint("VNNEWS_MAX_LISTING_PAGES")
        spider.max_sitemap_children = settings.getint("VNNEWS_MAX_SITEMAP_CHILDREN")
        spider.refresh = settings.getbool("VNNEWS_REFRESH")
        return spider

    refresh: bool = False

    @property
    def allowed_domains(self) -> list[str]:  # type: ignore[override]
        return [self.site.host]

    # -- discovery ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.feeds:
            yield self._request(url, FEED_ROLE, self.parse_feed, priority=20)
        for url in self.site.sitemaps:
            yield self._request(url, SITEMAP, self.parse_sitemap, priority=10)
        for url in self.site.listings:
            yield self._request(url, LISTING, self.parse_listing, priority=10, page=1)

    def _request(self, url: str, role: str, callback, priority: int = 0, **meta: Any):  # noqa: ANN001, ANN202
        if role in DISCOVERY:  # asked conditionally: "not modified" is an answer, not an error
            meta.setdefault("handle_httpstatus_list", [NOT_MODIFIED])
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=priority,
            meta={"vnnews_role": role, **meta},
        )

    def _unchanged(self, response: Response) -> bool:
        """A ``304``: the page is as it was when a finished crawl processed everything behind
        it, so there is nothing to follow."""
        if response.status != NOT_MODIFIED:
            return False
        self.logger.debug("%s not modified", response.url)
        return True

    def _article_request(
        self, url: str, hint: dict[str, Any] | None = None
    ) -> scrapy.Request | None:
        if not self.site.article_path.match(urlsplit(url).path):
            return None
        self.crawler.stats.inc_value("vnnews/links/article")
        return self._request(url, ARTICLE, self.parse_article, priority=0, hint=hint or {})

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if self._unchanged(response):
            return
        result = parse_feed(response.body, response.url)
        if result.malformed:
            self._count_error(
                "malformed_feed", f"malformed feed {response.url}: {result.error}", response.url,
                response.meta,
            )  # fmt: skip
        if not result.entries:
            self.logger.warning("feed %s has no items", response.url)
            self.crawler.stats.inc_value("vnnews/feed/empty")
        for entry in result.entries:
            hint = {
                "title": entry.title,
                "summary": entry.summary,
                "published_at": entry.published_at,
            }
            if (request := self._article_request(entry.url, hint)) is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        if self._unchanged(response):
            return
        result = parse_sitemap(response.body)
        if result.error:
            self._count_error(
                "bad_sitemap", f"bad sitemap {response.url}: {result.error}", response.url,
                response.meta,
            )  # fmt: skip
            return
        if result.kind == "index":
            children = sorted(
                result.entries,
                key=lambda e: e.lastmod or datetime.min.replace(tzinfo=UTC),
                reverse=True,
            )
            if self.max_sitemap_children:
                children = children[: self.max_sitemap_children]
            for child in children:
                yield self._request(child.loc, SITEMAP, self.parse_sitemap, priority=10)
            return
        for entry in result.entries:
            if (request := self._article_request(entry.loc)) is not None:
                yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if self._unchanged(response):
            return
        if not isinstance(response, TextResponse):
            self._count_error(
                "not_html", f"listing {response.url} is not HTML", response.url, response.meta
            )
            return
        if looks_truncated(response.body):
            self._count_error(
                "malformed_listing",
                f"malformed listing {response.url}: the page ends before </body> "
                "(truncated markup); taking the links that arrived",
                response.url,
                response.meta,
            )
        listing = parse_listing(
            response.text,
            response.url,
            article_path=self.site.article_path,
            item_css=self.listing_item_css,
            next_css=self.listing_next_css,
        )
        if not listing.article_urls:
            self.logger.warning("listing %s holds no article links", response.url)
            self.crawler.stats.inc_value("vnnews/listing/empty")
        page = response.meta.get("page", 1)
        stop_known = self._stops_at_known(response, page)
        if stop_known and self._only_known(listing.article_urls):
            self.logger.info(
                "listing %s (page %d) holds only archived articles: pagination stops here",
                response.url, page,
            )  # fmt: skip
            stats = self.crawler.stats
            stats.inc_value("vnnews/listing/stopped_known")
            stats.inc_value("vnnews/links/article", len(listing.article_urls))  # found, all known
            response.meta[STOP_PAGINATION] = True  # also for subclasses that find next pages
            return
        for url in listing.article_urls:
            if (request := self._article_request(url)) is not None:
                yield request
        if listing.next_url and page < self.max_listing_pages:
            yield self._request(
                listing.next_url, LISTING, self.parse_listing, priority=10, page=page + 1,
                **({STOP_KNOWN: True} if stop_known else {}),
            )  # fmt: skip

    def _stops_at_known(self, response: Response, page: int) -> bool:
        """Whether this listing may stop at an all-archived page: not when refreshing, and only
        when its start page was processed in full by a finished crawl, so that pages a first,
        failed or interrupted crawl never reached are still walked."""
        if self.refresh:
            return False
        return bool(response.meta.get(STOP_KNOWN) or (page == 1 and response.meta.get(COMPLETE)))

    def _only_known(self, urls: list[str]) -> bool:
        """Every article link on the page is archived (a page without any is not "known")."""
        wanted = [u for u in urls if self.site.article_path.match(urlsplit(u).path)]
        if not wanted:
            return False
        return len(archived_urls(self.crawler.settings, wanted)) == len(wanted)

    # -- articles -----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse):
            self._count_error(
                "not_html", f"{response.url} is not an HTML page", response.url, response.meta
            )
            return
        self.crawler.stats.inc_value("vnnews/articles/fetched")
        try:
            page = self.article_page(
                response.url, response.text, source=self.site.key, default_lang=self.site.lang
            )
            item = page.to_item()
        except Exception as exc:  # a page that breaks the extractor must not stop the crawl
            self.logger.exception("could not extract %s", response.url)
            self._count_error(
                "parse", f"could not extract {response.url}: {exc}", response.url, response.meta
            )
            return
        self._apply_hints(item, response.meta.get("hint") or {})
        if looks_truncated(response.body):
            item.warnings.append("truncated html")
        item.fetched_at = datetime.now(UTC)
        self._count_fields(item)
        stats = self.crawler.stats
        for warning in item.warnings:
            stats.inc_value(f"vnnews/warnings/{warning.replace(' ', '_')}")
            self.logger.warning("%s: %s", response.url, warning)
        yield item

    def _count_fields(self, item: ArticleItem) -> None:
        """Who answered each health field the site has a selector for (see crawler.health)."""
        stats = self.crawler.stats
        stats.inc_value("vnnews/articles/parsed")
        judged = [f for f in HEALTH_FIELDS if f in item.selector_fields]
        if not judged:
            stats.inc_value("vnnews/articles/selectorless")
        for field in judged:
            step = item.methods.get(field)
            if step == SELECTOR:
                stats.inc_value(f"vnnews/fields/{field}/selector")
            elif step is None:
                stats.inc_value(f"vnnews/fields/{field}/missing")
            else:
                stats.inc_value(f"vnnews/fallback/{field}")

    @staticmethod
    def _apply_hints(item: ArticleItem, hint: dict[str, Any]) -> None:
        """What the feed said fills what the page did not (a page without a date, say)."""
        for field in ("title", "summary", "published_at"):
            if getattr(item, field) is None and hint.get(field) is not None:
                setattr(item, field, hint[field])
                item.methods[field] = FEED
                if f"missing {field}" in item.warnings:
                    item.warnings.remove(f"missing {field}")

    # -- failures -----------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            return  # robots.txt or an article already archived: counted where decided
        request = failure.request
        kind, reason = failure_kind(failure)
        self._count_error(
            kind, f"could not fetch {request.url}: {reason}", request.url, request.meta
        )

    def _count_error(
        self, kind: str, message: str, url: str, meta: dict[str, Any] | None = None
    ) -> None:
        """Log and count a failure, and charge it to the pages that led to it (``meta`` of the
        failed request or response), so they are not trusted as unchanged next time."""
        stats = self.crawler.stats
        stats.inc_value(f"vnnews/errors/{kind}")
        if stats.get_value("vnnews/first_error") is None:
            stats.set_value("vnnews/first_error", message)
        self.logger.warning(message)
        self.crawler.signals.send_catch_log(signal=page_failed, meta=meta or {}, url=url)
