"""The VCCorp "cdnchinhphu" CMS family: baochinhphu.vn, mst.gov.vn and their siblings.

Selectors follow ../shared/reference/site-notes.md and the real baochinhphu.vn capture:
the byline is the last right-aligned bold paragraph of the body (meta author holds only the
site name), and a related-news box sits inside the content element.
"""

from __future__ import annotations

from lxml import etree

from crawler.extract.body import remove, select
from crawler.extract.cascade import SELECTOR, Step
from crawler.extract.page import ArticlePage
from crawler.extract.text import squash

_BYLINE_MAX_CHARS = 80


class CdnChinhPhuArticlePage(ArticlePage):
    TITLE_CSS = "h1.detail-title"
    SUMMARY_CSS = ".detail-sapo"
    PUBLISHED_CSS = ".detail-time [data-role=publishdate], .detail-time"
    TAGS_CSS = "ul.detail-tag-list a, .detail-tag a"
    CATEGORY_CSS = (
        ".detail-breadcrumb a[data-role=cate-name], .detail-top .detail-cate a, .detail-cate a"
    )
    CONTENT_CSS = "div.detail-content, [data-role=content]"
    DROP_CSS = (
        "[type=RelatedNewsBox]",
        ".kbwscwl-relatedbox",
        ".detail-social",
        ".zalo-share-button",
        ".fb-like",
        "[type=VideoStream]",
    )
    CAPTION_CSS = "figcaption, .PhotoCMS_Caption"
    EXTRA_SELECTOR_FIELDS = ("author",)  # the byline paragraph, see _byline()

    def author(self) -> list[Step[str]]:
        return [(SELECTOR, self._byline), *super().author()]

    def prune_body(self, root: etree._Element) -> None:
        for paragraph in _byline_paragraphs(root):
            remove(paragraph)

    def _byline(self) -> str | None:
        if self.content_element is None:
            return None
        names = [squash(" ".join(p.itertext())) for p in _byline_paragraphs(self.content_element)]
        names = [n for n in names if n]
        return names[-1] if names else None


def _byline_paragraphs(root: etree._Element) -> list[etree._Element]:
    """Right-aligned paragraphs holding only bold text: the CMS's author line (or its empty twin)."""
    found = []
    for p in select(root, "p[style]"):
        style = p.get("style", "").replace(" ", "").lower()
        if "text-align:right" not in style:
            continue
        bold = "".join("".join(b.itertext()) for b in select(p, "b, strong"))
        text = "".join(p.itertext())
        if squash(bold) == squash(text) and len(text.strip()) <= _BYLINE_MAX_CHARS:
            found.append(p)
    return found
