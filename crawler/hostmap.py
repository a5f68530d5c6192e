"""Fetch chosen hosts from another address, as an ``/etc/hosts`` entry would.

Used to crawl the fixture sites on 127.0.0.1 with the very same spiders: URLs, robots.txt
handling, duplicate filtering and stored records all keep the real site's URL; only the
transport goes elsewhere, with the original ``Host`` header. Configured by
``VNNEWS_HOST_MAP``; with an empty map this is Scrapy's own HTTP/1.1 handler.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


class HostMapDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self._map = {
            host.lower(): urlsplit(target)
            for host, target in (crawler.settings.getdict("VNNEWS_HOST_MAP") or {}).items()
        }

    async def download_request(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        target = self._map.get((parts.hostname or "").lower())
        if target is None:
            return await super().download_request(request)
        mapped_url = urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))
        mapped = request.replace(url=mapped_url)
        mapped.headers["Host"] = parts.netloc
        response = await super().download_request(mapped)
        return response.replace(url=request.url)
