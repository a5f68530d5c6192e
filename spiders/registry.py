"""The sites registry: what each built-in source is and where its discovery starts.

Start URLs come from ../shared/reference/site-notes.md; ``verified`` says whether they were
seen working on the live site (nothing here can reach the live sites, so none is yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    host: str
    lang: str
    article_path: re.Pattern[str]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    province: str | None = None
    verified: bool = False
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def start_urls(self) -> tuple[str, ...]:
        return (*self.feeds, *self.sitemaps, *self.listings)


_CDNCHINHPHU_ARTICLE = re.compile(r"^/[a-z0-9-]+-\d{8,}\.htm$")

MST = Site(
    key="mst",
    name="Bộ Khoa học và Công nghệ (mst.gov.vn)",
    host="mst.gov.vn",
    lang="vi",
    article_path=_CDNCHINHPHU_ARTICLE,
    feeds=(
        "https://mst.gov.vn/rss/home.rss",
        "https://mst.gov.vn/rss/tin-tuc-su-kien.rss",
        "https://mst.gov.vn/rss/tin-tuc-su-kien/chuyen-doi-so.rss",
        "https://mst.gov.vn/rss/cam-nang-khoa-hoc-va-cong-nghe.rss",
    ),
    sitemaps=("https://mst.gov.vn/sitemap.xml",),
    listings=(
        "https://mst.gov.vn/tin-tuc-su-kien.htm",
        "https://mst.gov.vn/tin-tuc-su-kien/chuyen-doi-so.htm",
    ),
    notes="feeds and listings [S] in site-notes; sitemap index [C]",
)

BAOCHINHPHU = Site(
    key="baochinhphu",
    name="Báo Điện tử Chính phủ (baochinhphu.vn)",
    host="baochinhphu.vn",
    lang="vi",
    article_path=_CDNCHINHPHU_ARTICLE,
    feeds=("https://baochinhphu.vn/home.rss", "https://baochinhphu.vn/khoa-hoc-cong-nghe.rss"),
    sitemaps=("https://baochinhphu.vn/sitemaps/google-news.xml",),
    listings=("https://baochinhphu.vn/khoa-hoc-cong-nghe.htm",),
    notes="<zone>.rss feed format [C]; zone names and news sitemap [S]",
)

SITES: dict[str, Site] = {site.key: site for site in (MST, BAOCHINHPHU)}
