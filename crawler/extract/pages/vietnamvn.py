"""vietnam.vn: republications of other outlets' articles, in Vietnamese and machine-translated
editions (``/<slug>`` is Vietnamese, ``/<lang>/<slug>`` the ``<lang>`` edition).

What is known (../shared/reference/site-notes.md) comes from the pages' text, not their markup:
under the title the original outlet's name (printed twice: logo and name) and the date as
dd/mm/yyyy without a time; the lead carries the outlet as "(Outlet) - "; the body ends with a
credit line naming the original article's URL in the page's language ("Nguồn: <url>",
"Источник: <url>", "Crédit: Lien source" with the URL only in the href); after the body come a
comment counter and related-article lists. The class names below are therefore guesses [G];
every field falls back to JSON-LD / meta / the generic extractor, and the chrome after the
body is also cut by its text (``COMMENT_COUNTER``, ``RELATED_HEADINGS``), so a renamed class
does not let it into the article.

Which evidence wins, per field:

- ``credited_outlet``: the outlet name under the title (the site's data, not translated) →
  an outlet *named* in the credit line → the lead's "(Outlet) - " (machine-translated in the
  editions) → the host name of the credit line's URL.
- ``credited_url``: the credit line (an anchor's ``href`` before its printed, often shortened
  text); the line itself is kept out of the article text.
- ``lang``: the edition in the URL → ``<html lang>`` → meta → text detection. The URL first,
  because it is how the site routes editions; a template that says ``lang="vi"`` on every
  edition must not make a Ukrainian page Vietnamese.
- ``published_at``: the visible date (always date-only); the meta time of the same day makes
  it precise, so the selector keeps answering on every healthy page.
- ``canonical_url``: only within the page's own edition — each translation is an article of
  its own (the dedup stage joins them), so a canonical link to another edition is ignored.
- ``alternates``: ``hreflang`` links, without the page itself.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.body import ALWAYS_DROP, drop_elements, remove, select
from crawler.extract.cascade import (
    DEFAULT,
    DETECTED,
    JSONLD,
    MARKUP,
    META,
    SELECTOR,
    URL,
    Step,
)
from crawler.extract.credits import Credit, find_credit_block
from crawler.extract.dates import VIETNAM_TZ, parse_date
from crawler.extract.language import detect_language, language_code
from crawler.extract.page import ArticlePage
from crawler.extract.text import split_outlet_prefix, squash

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_EDITION = re.compile(r"^/([a-z]{2}(?:-[a-z]{2})?)/")

# "Bình luận (0)" and its translations: the comment counter after the body.
COMMENT_COUNTER = re.compile(
    r"^(?:Bình luận|Comments?|Комментарии|Комментариев|Коментарі|Коментарів|Commentaires?|"
    r"Kommentarer|Kommentare|Comentarios|Commenti|Comentários|评论|評論|댓글|コメント)"
    r"\s*\(\s*\d+\s*\)$",
    re.IGNORECASE,
)
# "Cùng chủ đề" / "Cùng chuyên mục" / "Cùng tác giả" (same topic / category / author) and
# their translations in the modelled editions: related-article lists, never article text.
RELATED_HEADINGS = frozenset(
    h.casefold()
    for h in (
        "Cùng chủ đề", "Cùng chuyên mục", "Cùng tác giả",
        "Same topic", "Same category", "Same author", "Same subject",
        "По теме", "На ту же тему", "В той же рубрике", "Из той же рубрики", "Того же автора",
        "На ту саму тему", "З тієї ж рубрики", "У тій самій рубриці", "Того ж автора",
        "Même sujet", "Sur le même sujet", "Même catégorie", "Même rubrique", "Même auteur",
        "Samme emne", "Samme tema", "Samme kategori", "Samme forfatter",
        "Gleiches Thema", "Gleiche Kategorie", "Gleicher Autor",
        "Mismo tema", "Misma categoría", "Mismo autor",
        "同一主题", "同一类别", "同一作者", "같은 주제", "같은 카테고리", "같은 저자",
        "同じトピック", "同じカテゴリー", "同じ著者",
    )
)  # fmt: skip
# Where the credit line is sought when the generic extractor read the body: the first that
# matches, without the page's chrome.
CREDIT_REGION_CSS = ("article", "main", "body")
PAGE_CHROME_CSS = ("header", "footer", "nav", "aside")
# A chrome marker is a short line of its own.
_MARKER_MAX_CHARS = 60


def edition(url: str) -> str:
    """The edition a vietnam.vn URL belongs to: ``"ru"`` for ``/ru/<slug>``, ``"vi"`` for
    ``/<slug>`` (the Vietnamese original has no prefix)."""
    match = _EDITION.match(urlsplit(url).path)
    return match.group(1) if match else "vi"


class VietnamvnArticlePage(ArticlePage):
    TITLE_CSS = "h1.v-article-title"
    SUMMARY_CSS = ".v-article-sapo"
    PUBLISHED_CSS = ".v-article-meta .v-article-date, .v-article-date"
    TAGS_CSS = ".v-article-tags a"
    CATEGORY_CSS = ".v-breadcrumb a"
    CONTENT_CSS = "div.v-article-content"
    DROP_CSS = (
        ".v-article-comment",
        ".v-comment",
        ".v-related",
        ".v-share",
        ".v-ads",
        ".v-article-tags",
    )
    CAPTION_CSS = "figcaption"
    CREDIT_OUTLET_CSS = ".v-article-meta .v-source-name, .v-source-name"

    _body_credit: Credit | None = None

    # -- fields -------------------------------------------------------------------------------

    def summary(self) -> list[Step[str]]:
        """The lead without "(Outlet) - " and, behind it, the original's own signature
        ("(Tạp chí Cộng sản) - TCCS - ..." → "...")."""
        return [(name, _without_signatures(step)) for name, step in self.raw_summary()]

    def published_at(self) -> list[Step[datetime]]:
        return [
            (SELECTOR, self._visible_date),
            (META, lambda: self._meta_published),
            (JSONLD, lambda: parse_date(self.meta.jsonld.text("datePublished"))),
        ]

    def lang(self) -> list[Step[str]]:
        return [
            (URL, self.url_lang),
            (MARKUP, lambda: language_code(self.meta.html_lang)),
            (META, lambda: language_code(self.meta.get("content-language", "og:locale"))),
            (DETECTED, lambda: detect_language(self.body().text)),
            (DEFAULT, lambda: self.default_lang),
        ]

    def canonical_url(self) -> list[Step[str]]:
        return [(name, _in_edition(step, self.url)) for name, step in super().canonical_url()]

    # -- body ---------------------------------------------------------------------------------

    def prune_body(self, root: etree._Element) -> None:
        """Cut the comment counter and related lists (by their text, wherever they sit), then
        take the credit line out of the text: it is stored as ``credited_*``."""
        cut_trailing_chrome(root)
        found = find_credit_block(root, self.url)
        self._body_credit = found[0] if found else None
        if found and found[1] is not root:
            remove(found[1])

    @cached_property
    def _credit(self) -> Credit:
        """The credit line of the body that answered (see prune_body); when that body is the
        generic extractor's, which drops such lines, the last line before the comment counter
        in the article's region of the page."""
        self.body()
        return self._body_credit or self._region_credit() or Credit()

    # -- internals ----------------------------------------------------------------------------

    def _visible_date(self) -> datetime | None:
        text = self.css_text(self.PUBLISHED_CSS)
        day = parse_date(text)
        if day is None or text is None or _HAS_TIME.search(text):
            return day
        precise = self._meta_published or parse_date(self.meta.jsonld.text("datePublished"))
        if precise is not None and _vn_date(precise) == _vn_date(day):
            return precise
        return day

    def _region_credit(self) -> Credit | None:
        for css in CREDIT_REGION_CSS:
            found = select(self.sel.root, css)
            if not found:
                continue
            region = copy.deepcopy(found[0])
            drop_elements(region, (*ALWAYS_DROP, *self.DROP_CSS, *PAGE_CHROME_CSS))
            cut_trailing_chrome(region)
            credit = find_credit_block(region, self.url)
            return credit[0] if credit else None
        return None


def cut_trailing_chrome(root: etree._Element) -> None:
    """Remove the first comment counter or related-list heading and everything after it."""
    marker = next((el for el in root.iter() if _is_marker(el)), None)
    if marker is None or marker is root:
        return
    node = marker
    while node is not root and node.getparent() is not None:
        for following in list(node.itersiblings()):
            node.getparent().remove(following)
        node = node.getparent()
    marker.tail = None
    remove(marker)


def _is_marker(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    text = squash(" ".join(el.itertext()))
    if not text or len(text) > _MARKER_MAX_CHARS:
        return False
    return bool(COMMENT_COUNTER.match(text)) or text.casefold() in RELATED_HEADINGS


def _without_signatures(step):  # noqa: ANN001, ANN202
    def lead() -> str | None:
        outlet, rest = split_outlet_prefix(step())
        if outlet is None or rest is None:
            return rest
        signature, after = split_outlet_prefix(rest)
        if signature is not None and signature.isupper():  # "TCCS - ", "TTXVN - "
            return after
        return rest

    return lead


def _in_edition(step, url: str):  # noqa: ANN001, ANN202
    return lambda: value if (value := step()) and edition(value) == edition(url) else None


def _vn_date(value: datetime):  # noqa: ANN202
    return value.astimezone(VIETNAM_TZ).date()
