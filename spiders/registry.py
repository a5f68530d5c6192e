"""The sites registry: what each source is and where its discovery starts.

Built-in sources (one spider each, named after the source) are defined here; further portals
come from config entries (``spiders/portals.toml`` shipped with vnnews, and the user's own
file), crawled by the config-driven ``portal`` spider. Start URLs of the built-ins come from
../shared/reference/site-notes.md; ``verified`` says whether they were seen working on the live
site (nothing here can reach the live sites, so none is yet).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extract.pages.liferay import ARTICLE_PATH as LIFERAY_ARTICLE_PATH

BUILTIN, CONFIG = "builtin", "config"


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    host: str
    lang: str  # the main language; ``langs`` lists every edition
    article_path: re.Pattern[str]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    province: str | None = None  # slug of the province the site belongs to (provincial portals)
    langs: tuple[str, ...] = ()
    spider: str = ""  # the spider that crawls it: the key for built-ins, "portal" for entries
    kind: str = BUILTIN
    # Config entries: CSS selectors per field (title, summary, published_at, author, tags,
    # category, content, drop, ...). Built-ins keep theirs in their page object.
    selectors: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    verified: bool = False
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.langs:
            object.__setattr__(self, "langs", (self.lang,))
        if not self.spider:
            object.__setattr__(self, "spider", self.key)

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

# The entries below are first drafts from site-notes.md; each family's module refines its own.

LAICHAU = Site(
    key="laichau",
    name="Cổng thông tin điện tử tỉnh Lai Châu (laichau.gov.vn)",
    host="laichau.gov.vn",
    lang="vi",
    province="lai-chau",
    # /tin-tuc-su-kien/<section>[/<sub>]/<slug, truncated by the CMS>.html [S]; sections end in "/"
    article_path=re.compile(r"^/tin-tuc-su-kien/[a-z0-9-]+(?:/[a-z0-9-]+)*/[a-z0-9-]+\.html$"),
    listings=(
        "https://laichau.gov.vn/tin-tuc-su-kien/chuyen-de/chuyen-doi-so/",
        "https://laichau.gov.vn/tin-tuc-su-kien/khoa-hoc-cong-nghe/",
        "https://laichau.gov.vn/tin-tuc-su-kien/chuyen-de/kinh-te-so/",
    ),
    notes="VHV platform [S/G]; no RSS or sitemap known, so listings only; section paths "
    "[G] (/tin-tuc-su-kien/chuyen-de/<section>/ is [S]), pagination ?page=N [G]",
)

# Liferay; served as www. (the fixture folder is named so). The article pattern lives with the
# page object (crawler.extract.pages.liferay), which also checks canonical links against it.
TAPCHICONGSAN = Site(
    key="tapchicongsan",
    name="Tạp chí Cộng sản (tapchicongsan.org.vn)",
    host="www.tapchicongsan.org.vn",
    lang="vi",
    langs=("vi", "en"),
    article_path=LIFERAY_ARTICLE_PATH,
    listings=(
        "https://www.tapchicongsan.org.vn/web/guest/khoa-hoc-cong-nghe",
        "https://www.tapchicongsan.org.vn/web/guest/chuyen-doi-so",
        "https://www.tapchicongsan.org.vn/en_US/web/guest/science-technology",
    ),
    notes="Liferay, group 20182; URL shapes and 'TCCS - ' leads [C]; listing pages and "
    "selectors [G]; RSS, sitemap not found",
)

BAOLAMDONG = Site(
    key="baolamdong",
    name="Báo Lâm Đồng (baolamdong.vn)",
    host="baolamdong.vn",
    lang="vi",
    province="lam-dong",
    # /<slug>-<6 digits>.html, once seen under a section prefix (/bbt/...); legacy
    # /<cat>/<yyyymm>/<slug>-<hex>/ [S]
    article_path=re.compile(
        r"^/(?:(?:[a-z0-9-]+/)?[a-z0-9-]+-\d{6,7}\.html|[a-z0-9-]+/\d{6}/[a-z0-9-]+-[0-9a-f]{6,}/)$"
    ),
    feeds=(
        "https://baolamdong.vn/rss/cong-nghe-chuyen-doi-so",
        "https://baolamdong.vn/rss/thoi-su/thoi-su-lam-dong",
        "https://baolamdong.vn/rss/chinh-sach",
    ),
    listings=("https://baolamdong.vn/cong-nghe-chuyen-doi-so",),
    notes="OneCMS family [G: 1cdn.vn images, /rss/<section> URLs]; feeds and sections [S]; "
    "listing page URL ?page=N [G]",
)

# /<slug> is the Vietnamese original, /<lang>/<slug> an edition (the slug stays Vietnamese).
# Not /category/<slug>, not /<lang>/category/<slug>, not an edition's home page.
_VIETNAMVN_ARTICLE = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?!category\b)[a-z0-9]+(?:-[a-z0-9]+){2,}$"
)

VIETNAMVN = Site(
    key="vietnamvn",
    name="Vietnam.vn",
    host="www.vietnam.vn",
    lang="vi",
    # The editions crawled (through each page's hreflang alternates; see spiders/vietnamvn.py).
    langs=("vi", "en", "fr", "de", "es", "ru", "uk", "no", "zh", "ko", "ja"),
    article_path=_VIETNAMVN_ARTICLE,
    feeds=(
        "https://www.vietnam.vn/category/doi-moi-sang-tao/rss",
        "https://www.vietnam.vn/category/chuyen-doi-so/rss",
    ),
    listings=("https://www.vietnam.vn/category/khoa-hoc-cong-nghe",),
    notes="served as www.vietnam.vn; listing /category/<slug> a.v-link-title [S]; "
    "feeds /category/<slug>/rss and the category slugs [G]; article markup classes [G]",
)

SITES: dict[str, Site] = {
    site.key: site for site in (MST, BAOCHINHPHU, LAICHAU, TAPCHICONGSAN, BAOLAMDONG, VIETNAMVN)
}

# The user's own config entries (``vnnews sources add`` writes there): ``--sites FILE``, else
# ``$VNNEWS_SITES_FILE``, else this file under the current directory, beside the archive.
DEFAULT_SITES_FILE = "data/sites.toml"
SITES_FILE_ENV = "VNNEWS_SITES_FILE"


def resolve_sites_file(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if env is None else env
    return Path(cli_value or environ.get(SITES_FILE_ENV) or DEFAULT_SITES_FILE)


def all_sites(user_file: Path | None = None) -> dict[str, Site]:
    """Built-in sources, then the config entries (shipped and the user's), by key.

    Raises ``spiders.portal_config.ConfigError`` when an entry is malformed.
    """
    from spiders.portal_config import config_sites  # it imports this module

    return {**SITES, **config_sites(user_file)}
