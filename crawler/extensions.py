"""Scrapy extensions.

- :class:`RunRecorder` (``VNNEWS_RUNS_ENABLED``, ``VNNEWS_RUN_TRIGGER``): a ``crawl_runs`` row
  per crawl, opened when the spider opens (with who started it and this process's pid) and
  closed with its outcome, counts and extraction health (``crawler.health``).
- :class:`ProgressReporter` (``VNNEWS_PROGRESS_ENABLED``, ``VNNEWS_PROGRESS_INTERVAL``): a
  progress line on stderr while a crawl runs (pages, new, duplicate, errors).
"""

from __future__ import annotations

import os
import sys
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.archive import archive_sessions
from crawler.health import run_health
from crawler.runstats import run_counts, run_status
from storage.runs import finish_run, start_run


def _jsonable(stats: dict) -> dict:
    return {k: (v if isinstance(v, int | float | str | bool) else str(v)) for k, v in stats.items()}


class RunRecorder:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = archive_sessions(crawler.settings)
        self.trigger = crawler.settings.get("VNNEWS_RUN_TRIGGER") or "manual"
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("VNNEWS_RUNS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:  # noqa: ANN001 - Scrapy signal signature
        site = getattr(spider, "site", None)
        with self.sessions() as session:
            self.run_id = start_run(
                session,
                spider=spider.name,
                source_key=site.key if site else None,
                trigger=self.trigger,
                pid=os.getpid(),
            )
            session.commit()

    def spider_closed(self, spider, reason: str) -> None:  # noqa: ANN001
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        counts = run_counts(stats)
        status = run_status(stats, reason)
        health = run_health(stats)
        if status == "unreachable":  # nothing was read: no verdict on the selectors
            health.degraded, health.reasons = False, []
        self.crawler.stats.set_value("vnnews/run_status", status)
        self.crawler.stats.set_value("vnnews/run_id", self.run_id)
        self.crawler.stats.set_value("vnnews/degraded", health.degraded)
        with self.sessions() as session:
            finish_run(
                session,
                self.run_id,
                status=status,
                pages=counts.pages,
                new=counts.new,
                duplicates=counts.duplicates,
                updated=counts.updated,
                errors=counts.errors,
                stats=_jsonable(stats),
                message=stats.get("vnnews/first_error"),
                health=health.as_dict(),
                degraded=health.degraded,
            )
            session.commit()


class ProgressReporter:
    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("VNNEWS_PROGRESS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("VNNEWS_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:  # noqa: ANN001
        site = getattr(spider, "site", None)  # one spider may crawl many sources (portal)
        self._loop = task.LoopingCall(self.report, site.key if site else spider.name)
        self._loop.start(self.interval, now=False)

    def report(self, name: str) -> None:
        counts = run_counts(self.crawler.stats.get_stats())
        print(f"  {name}: {counts.line()}", file=sys.stderr, flush=True)

    def spider_closed(self, spider) -> None:  # noqa: ANN001
        if self._loop is not None and self._loop.running:
            self._loop.stop()
