"""Scrapy settings for vnnews: every setting the project reads has its default here.

vnnews settings (components read them once, in ``from_crawler``):

- ``VNNEWS_DATABASE_URL``: SQLAlchemy URL of the archive; ``None`` resolves like the CLI
  (``VNNEWS_DATABASE_URL`` environment variable, else ``sqlite:///data/vnnews.sqlite3``).
- ``VNNEWS_SITES_FILE``: the user's config entries file for the ``portal`` spider; ``None``
  resolves like the CLI (``$VNNEWS_SITES_FILE``, else ``data/sites.toml``).
- ``VNNEWS_HOST_MAP``: ``{"mst.gov.vn": "http://127.0.0.1:8765"}`` — fetch those hosts from
  another address, keeping URLs and the ``Host`` header (the offline fixture sites).
- ``VNNEWS_SKIP_KNOWN_ENABLED``: do not request article URLs already in the archive.
- ``VNNEWS_CHARSET_FIX_ENABLED``: decode UTF-8 bodies as UTF-8 whatever their label says.
- ``VNNEWS_PROGRESS_ENABLED`` / ``VNNEWS_PROGRESS_INTERVAL``: the crawl's progress line.
- ``VNNEWS_RUNS_ENABLED``: record each crawl in the archive's ``crawl_runs`` table.
- ``VNNEWS_RUN_TRIGGER``: who started the crawl, recorded with its run (``manual``; the
  scheduler's crawls set ``schedule``).
- ``VNNEWS_MAX_LISTING_PAGES``: how deep listing pagination goes per start listing.
- ``VNNEWS_MAX_SITEMAP_CHILDREN``: newest child sitemaps followed per sitemap index.
- ``VNNEWS_MAX_ARTICLES``: stop a source's crawl after this many articles (0: no limit).
- ``VNNEWS_CONDITIONAL_ENABLED``: ask feeds, sitemaps and listing pages conditionally
  (``If-None-Match`` / ``If-Modified-Since``) and keep their validators after a finished crawl
  (:mod:`crawler.conditional`).
- ``VNNEWS_REFRESH``: fetch everything whole: no conditional requests, no pagination stop at
  archived pages (``vnnews crawl --refresh`` sets it with ``VNNEWS_SKIP_KNOWN_ENABLED=False``).
- ``VNNEWS_JOBDIR``: this source's job folder, whose request journal lets a killed crawl be
  resumed (:mod:`crawler.jobdir`); ``None``: no journal. The CLI sets one per source.
"""

from __future__ import annotations

import os

BOT_NAME = "vnnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "vnnews/0.1 (+https://github.com/vnnews/vnnews; news aggregator for S&T policy)"

# Politeness: robots.txt, a small per-domain concurrency and AutoThrottle on top of a delay.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOAD_HANDLERS = {
    "http": "crawler.hostmap.HostMapDownloadHandler",
    "https": "crawler.hostmap.HostMapDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.KnownArticleMiddleware": 50,  # before robots.txt: no needless work
    # Low: its process_response sees the final answer, after retries and redirects.
    "crawler.conditional.ConditionalGetMiddleware": 60,
    "crawler.middlewares.CharsetFixMiddleware": 560,
}

SPIDER_MIDDLEWARES = {
    "crawler.conditional.DiscoveryMiddleware": 950,
}

# Scrapy's scheduler plus a crash-safe request journal when VNNEWS_JOBDIR is set.
SCHEDULER = "crawler.jobdir.JournalScheduler"

ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}

EXTENSIONS = {
    "crawler.extensions.RunRecorder": 100,
    "crawler.extensions.ProgressReporter": 110,
}

VNNEWS_DATABASE_URL = os.environ.get("VNNEWS_DATABASE_URL")
VNNEWS_SITES_FILE: str | None = None
VNNEWS_HOST_MAP: dict[str, str] = {}
VNNEWS_SKIP_KNOWN_ENABLED = True
VNNEWS_CHARSET_FIX_ENABLED = True
VNNEWS_PROGRESS_ENABLED = False
VNNEWS_PROGRESS_INTERVAL = 5.0
VNNEWS_RUNS_ENABLED = True
VNNEWS_RUN_TRIGGER = "manual"
VNNEWS_MAX_LISTING_PAGES = 5
VNNEWS_MAX_SITEMAP_CHILDREN = 3
VNNEWS_MAX_ARTICLES = 0
VNNEWS_CONDITIONAL_ENABLED = True
VNNEWS_REFRESH = False
VNNEWS_JOBDIR: str | None = None

# Applied on top of the above when crawling fixture sites on 127.0.0.1: no reason to wait.
LOOPBACK_OVERRIDES = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 0.5,
    "RETRY_PRIORITY_ADJUST": 0,
}
