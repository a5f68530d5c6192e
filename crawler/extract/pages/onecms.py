"""INTECH's "OneCMS" family: nguoiquansat.vn (real capture) and, suspected, baolamdong.vn.

Selectors follow the real nguoiquansat.vn capture (../shared/samples/html/nguoiquansat.vn/) [C]:
the article header block (``div.sc-longform-header``: category, title, author, date, sapo) sits
INSIDE ``article.entry``, so the body drops it; ad boxes (``div.c-box`` / ``.oneads``) sit
between paragraphs; related posts, the source box of a republication (``div.c-author-page``:
"Theo <outlet>" + "Link bài gốc" ``#url-copy``) and the tags come after the article element.
Older pages of the family carry a ``c-detail-head`` header instead (``h1.c-detail-head__title``,
``span.c-detail-head__time``, ``span.c-detail-head__author``) [S: public crawlers of OneCMS
sites]; their lead has no known selector and comes from JSON-LD or meta.

baolamdong.vn is only suspected to run this CMS [G]; its theme may differ, so every field keeps
the base cascade's fallbacks behind these selectors, and the step that answered is recorded.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.extract.cascade import SELECTOR, Step
from crawler.extract.credits import parse_credit_text
from crawler.extract.page import ArticlePage

_URL = re.compile(r"https?://\S+")
_HOME = "trang chủ"

# Listing pages: the server renders the first page of ``ul.onecms__loading``; "Xem thêm"
# (``div.onecms__loadmore``) loads more with JavaScript [S]. The server-side page URL
# ``?page=N`` is a guess [G] (see spiders/baolamdong.py).
LISTING_ITEM_CSS = "ul.onecms__loading h3.b-grid__title a, ul.onecms__loading li.article__loading a"
LISTING_NEXT_CSS = (
    ".onecms__loadmore a[href^='/'], .onecms__loadmore a[href^='http'], "
    ".onecms__loadmore a[href^='?'], a[rel=next]"
)
PAGE_PARAM = "page"


class OneCmsArticlePage(ArticlePage):
    TITLE_CSS = "h1.sc-longform-header-title, h1.c-detail-head__title"
    SUMMARY_CSS = "p.sc-longform-header-sapo"
    PUBLISHED_CSS = "span.sc-longform-header-date, .c-detail-head__time"
    AUTHOR_CSS = "span.sc-longform-header-author, .c-detail-head__author"
    TAGS_CSS = ".c-tags a, .onecms__tags a"
    CATEGORY_CSS = "ol.breadcrumb li.breadcrumb-item a"
    HEADER_CATEGORY_CSS = "span.sc-longform-header-cate"
    CONTENT_CSS = "article.entry"
    DROP_CSS = (
        ".sc-longform-header",  # title, author, date and sapo: fields of their own
        ".c-detail-head",
        ".c-box",  # ad slots between paragraphs
        ".oneads",
        ".c-related-posts",
        ".c-share-scroll",
        ".c-share-bottom",
        ".c-author-page",
        ".c-tags",
        ".onecms__tags",
        ".onecms_load_view",
        ".c-comments",
        ".sc-empty-layer",
    )
    CREDIT_OUTLET_CSS = ".c-author-page .js-source-copy"
    # The original's URL is printed as text in a span (a copy-to-clipboard box), not an <a>.
    CREDIT_URL_CSS = ".c-author-page #url-copy, .c-author-page a[href^='http']"

    def category(self) -> list[Step[str]]:
        """The last breadcrumb, else the category printed above the title."""
        base = super().category()
        return [
            (SELECTOR, self._breadcrumb_category),
            (SELECTOR, lambda: self.css_text(self.HEADER_CATEGORY_CSS)),
            *base[1:],
        ]

    def credited_outlet(self) -> list[Step[str]]:
        """The source box's outlet without its "Theo " ("according to"), else the base steps."""
        return [(SELECTOR, self._source_box_outlet), *super().credited_outlet()[1:]]

    def credited_url(self) -> list[Step[str]]:
        return [(SELECTOR, self._source_box_url), *super().credited_url()[1:]]

    # -- internals ----------------------------------------------------------------------------

    def _breadcrumb_category(self) -> str | None:
        crumbs = [c for c in self.css_texts(self.CATEGORY_CSS) if c.casefold() != _HOME]
        return crumbs[-1] if crumbs else None

    def _source_box_outlet(self) -> str | None:
        text = self.css_text(self.CREDIT_OUTLET_CSS)
        credit = parse_credit_text(text)
        return credit.outlet if credit is not None and credit.outlet else text

    def _source_box_url(self) -> str | None:
        """The first http(s) URL of the box (text or href) that points to another site."""
        own_host = urlsplit(self.url).netloc
        for node in self.sel.css(self.CREDIT_URL_CSS):
            raw = node.attrib.get("href") or " ".join(node.xpath(".//text()").getall())
            match = _URL.search(raw.strip())
            if match is None:
                continue
            url = match.group(0).rstrip(".,;")
            if urlsplit(url).netloc != own_host:
                return url
        return None


def guessed_next_page(html: str, url: str) -> str | None:
    """``?page=N+1`` of a listing whose "Xem thêm" button has no usable link [G].

    Only when the page shows both list items and the load-more widget: a page without items is
    the end of the listing.
    """
    sel = Selector(text=html or "<html></html>", type="html")
    if not sel.css(".onecms__loadmore") or not sel.css(LISTING_ITEM_CSS):
        return None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    try:
        page = int(query.get(PAGE_PARAM, "1"))
    except ValueError:
        return None
    query[PAGE_PARAM] = str(page + 1)
    return urljoin(url, urlunsplit(("", "", parts.path, urlencode(query), "")))
