"""Scrapy item pipeline: a thin adapter over :func:`crawler.ingest.ingest`.

Stats: ``vnnews/stored/{new,duplicate,updated}``, ``vnnews/rejected/<reason>``.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.archive import archive_sessions
from crawler.extract.normalize import Rejected
from crawler.ingest import ingest
from crawler.items import ArticleItem
from storage.sources import ensure_source

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = archive_sessions(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        if site is None:
            return
        with self.sessions() as session:
            ensure_source(
                session,
                key=site.key,
                name=site.name,
                host=site.host,
                spider=spider.name,
                lang=site.lang,
                province=site.province,
            )
            session.commit()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        with self.sessions() as session:
            try:
                outcome = ingest(session, item)
            except Rejected as exc:
                reason = str(exc)
                stats.inc_value(f"vnnews/rejected/{reason.replace(' ', '_')}")
                raise DropItem(f"{item.url}: {reason}") from exc
        stats.inc_value(f"vnnews/stored/{outcome.status}")
        return item
