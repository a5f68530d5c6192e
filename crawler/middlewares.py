"""Downloader middlewares.

- :class:`KnownArticleMiddleware` (``VNNEWS_SKIP_KNOWN_ENABLED``): an article URL already in
  the archive is not requested again; feeds, sitemaps and listings always are. Requests say
  what they fetch in ``meta["vnnews_role"]``.
- :class:`CharsetFixMiddleware` (``VNNEWS_CHARSET_FIX_ENABLED``): a UTF-8 body labelled with
  another charset is decoded as UTF-8, logged and counted (``vnnews/charset/mislabelled``).
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse

from crawler.archive import archive_sessions
from crawler.dedup.urls import canonical_url
from crawler.extract.charset import corrected_encoding
from storage.articles import article_known

logger = logging.getLogger(__name__)

ARTICLE = "article"


class KnownArticleMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = archive_sessions(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("VNNEWS_SKIP_KNOWN_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("vnnews_role") != ARTICLE:
            return
        with self.sessions() as session:
            known = article_known(session, canonical_url(request.url)) or article_known(
                session, request.url
            )
        if known:
            self.crawler.stats.inc_value("vnnews/skipped/known")
            raise IgnoreRequest(f"already in the archive: {request.url}")


class CharsetFixMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("VNNEWS_CHARSET_FIX_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        fixed = corrected_encoding(response.encoding, response.body)
        if fixed is None:
            return response
        logger.warning(
            "%s declares charset %s but its bytes are %s; decoding as %s",
            response.url,
            response.encoding,
            fixed,
            fixed,
        )
        self.crawler.stats.inc_value("vnnews/charset/mislabelled")
        return response.replace(encoding=fixed)
