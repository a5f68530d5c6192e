"""The config-driven spider: one config entry (``[[site]]`` in a sites file) per crawl.

    scrapy crawl portal -a site=KEY [-s VNNEWS_SITES_FILE=FILE]

The entry comes from ``spiders/portals.toml`` (shipped) or the user's sites file (the
``VNNEWS_SITES_FILE`` setting, else ``$VNNEWS_SITES_FILE``, else ``data/sites.toml``). Its
start URLs, article pattern and listing selectors drive the shared discovery of
:class:`~spiders.base.ArticleSpider`; its field selectors become a page class
(:mod:`crawler.extract.pages.configured`). An entry without selectors is crawled all the
same, through JSON-LD, meta and the generic extractor, and health reports it as "generic
extraction", not as degraded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extract.pages.configured import SELECTOR_ATTRIBUTES, page_class
from spiders.base import ArticleSpider
from spiders.registry import CONFIG, Site, all_sites, resolve_sites_file


class PortalSiteError(ValueError):
    """The ``site`` argument names no config entry; the message lists the ones there are."""


def find_site(key: str | None, sites_file: str | Path | None = None) -> Site:
    """The config entry ``key`` from the shipped file and the user's sites file.

    Raises :class:`PortalSiteError` for a missing, unknown or built-in key, and
    ``spiders.portal_config.ConfigError`` when an entry of either file is malformed.
    """
    user_file = resolve_sites_file(str(sites_file) if sites_file else None)
    sites = all_sites(user_file)
    entries = sorted(k for k, s in sites.items() if s.kind == CONFIG)
    available = (
        f"config entries: {', '.join(entries)}"
        if entries
        else f"there are no config entries: add [[site]] tables to {user_file}"
    )
    if not key:
        raise PortalSiteError(f"portal: name the entry to crawl with -a site=KEY ({available})")
    site = sites.get(key)
    if site is None:
        raise PortalSiteError(f"portal: unknown site {key!r} ({available}; user file {user_file})")
    if site.kind != CONFIG:
        raise PortalSiteError(
            f"portal: {key!r} is a built-in source with its own spider: crawl it as {site.spider!r} "
            f"({available})"
        )
    return site


class PortalSpider(ArticleSpider):
    name = "portal"

    def __init__(self, site: str | None = None, *args: Any, **kwargs: Any):
        # Taken here: Spider.__init__ would otherwise store the key string as ``self.site``.
        super().__init__(*args, **kwargs)
        self.site_key = site

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # noqa: ANN001, ANN206
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.use_site(find_site(spider.site_key, crawler.settings.get("VNNEWS_SITES_FILE")))
        return spider

    def use_site(self, site: Site) -> None:
        """Crawl ``site``: its page class and listing selectors (base defaults otherwise)."""
        self.site = site  # type: ignore[misc]  # ArticleSpider reads self.site
        self.article_page = page_class(site.selectors, site.key)  # type: ignore[misc]
        self.listing_item_css = site.selectors.get("listing_links") or type(self).listing_item_css  # type: ignore[misc]
        self.listing_next_css = site.selectors.get("next_page") or type(self).listing_next_css  # type: ignore[misc]

    def field_selectors(self) -> list[str]:
        """The fields the entry has selectors for (logged at start)."""
        return [f for f in SELECTOR_ATTRIBUTES if self.site.selectors.get(f)]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        fields = self.field_selectors()
        how = (
            f"selectors for {', '.join(fields)}"
            if fields
            else "no selectors: generic extraction (JSON-LD, meta, trafilatura)"
        )
        verified = "verified" if self.site.verified else "not verified on the live site"
        self.logger.info("portal %s (%s): %s; %s", self.site.key, self.site.host, how, verified)
        async for request in super().start():
            yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        css = self.listing_item_css
        if css and isinstance(response, TextResponse) and not response.css(css):
            # parse_listing falls back to every link that looks like an article: say so.
            self.logger.warning(
                "listing %s: listing_links selector %r matches nothing; "
                "taking every link that matches the article pattern",
                response.url,
                css,
            )
            self.crawler.stats.inc_value("vnnews/listing/selector_missed")
        yield from super().parse_listing(response)
