"""Credit lines of republished articles: which outlet is credited and the original's URL.

A republication ends with a line naming its origin, in the page's own language: "Nguồn:
https://...", "Source: Báo Lâm Đồng", "Источник: ...", "Theo TTXVN", or a bare anchor such as
"Lien source" whose ``href`` is the original. The dedup stage trusts these more than any text
similarity, so a credit is only taken from the last few blocks of the body and only when it
looks like one:

- a line that starts with a credit label and a colon ("Nguồn:", "Kilde:", "出典："); any
  anchor to another site in that line is the original (its ``href`` beats the printed text,
  which editions shorten with an ellipsis);
- a short "Theo <Outlet>" line (the outlet's name is capitalised, no comma, no full stop inside);
- a line that is nothing but an anchor saying "the source" ("Lien source", "Bài gốc",
  "Originalartikkel", ...) or nothing but a URL.

Running text that merely contains "nguồn", a link to another site inside a sentence, image
captions and tables are not credits. Plain functions over text and lxml elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extract.text import squash

# Credit labels as the editions print them, followed by ":" (ASCII or full-width), per
# language. vietnam.vn machine-translates into these editions; the label moves with them.
CREDIT_LABELS_BY_LANG: dict[str, tuple[str, ...]] = {
    "vi": ("Nguồn", "Nguồn tin", "Nguồn bài", "Nguồn bài viết", "Bài gốc", "Link bài gốc"),
    "en": ("Source", "Sources", "Credit", "Credits", "Original article", "Original source"),
    "fr": ("Source", "Sources", "Crédit", "Crédits", "Article original"),
    "de": ("Quelle", "Quellen", "Originalartikel"),
    "es": ("Fuente", "Fuentes", "Crédito", "Artículo original"),
    "it": ("Fonte", "Fonti"),
    "pt": ("Fonte", "Fontes"),
    "ru": ("Источник", "Источники", "Первоисточник", "Оригинал статьи"),
    "uk": ("Джерело", "Джерела", "Першоджерело"),
    "no": ("Kilde", "Kilder", "Kilde/Source"),
    "da": ("Kilde", "Kilder"),
    "sv": ("Källa", "Källor"),
    "nl": ("Bron",),
    "pl": ("Źródło",),
    "cs": ("Zdroj",),
    "fi": ("Lähde",),
    "hu": ("Forrás",),
    "ro": ("Sursa",),
    "tr": ("Kaynak",),
    "id": ("Sumber",),
    "ms": ("Sumber",),
    "th": ("ที่มา",),
    "km": ("ប្រភព",),
    "hi": ("स्रोत",),
    "ar": ("المصدر",),
    "zh": ("来源", "來源", "出处", "出處", "资料来源", "原文"),
    "ko": ("출처", "원문"),
    "ja": ("出典", "出所", "ソース", "元記事"),
}
# Anchor texts that stand for "the original article" when the URL is only in the ``href``
# (compared case-insensitively, without surrounding punctuation).
SOURCE_LINK_TEXTS_BY_LANG: dict[str, tuple[str, ...]] = {
    "vi": ("nguồn", "link nguồn", "link gốc", "link bài gốc", "bài gốc", "xem bài gốc",
           "đọc bài gốc", "liên kết nguồn"),
    "en": ("source", "source link", "link to source", "original article", "original source",
           "read the original", "view original"),
    "fr": ("lien source", "lien de la source", "source", "article original", "lien original"),
    "de": ("quelle", "quelllink", "link zur quelle", "originalartikel"),
    "es": ("fuente", "enlace fuente", "enlace a la fuente", "enlace de origen",
           "artículo original"),
    "pt": ("fonte", "link da fonte", "artigo original"),
    "ru": ("источник", "ссылка на источник", "оригинал", "оригинал статьи"),
    "uk": ("джерело", "посилання на джерело", "оригінал", "оригінал статті"),
    "no": ("kilde", "kildelenke", "lenke til kilden", "originalartikkel"),
    "sv": ("källa", "originalartikel", "länk till källan"),
    "da": ("kilde", "originalartikel"),
    "zh": ("来源", "来源链接", "原文", "原文链接", "原文連結"),
    "ko": ("출처", "원문", "원문 보기", "출처 링크"),
    "ja": ("出典", "元の記事", "元記事", "ソースリンク"),
}  # fmt: skip


def _flatten(table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(label for labels in table.values() for label in labels))


CREDIT_LABELS = _flatten(CREDIT_LABELS_BY_LANG)
SOURCE_LINK_TEXTS = _flatten(SOURCE_LINK_TEXTS_BY_LANG)
_SOURCE_TEXTS = frozenset(text.casefold() for text in SOURCE_LINK_TEXTS)

# How many blocks from the end of the body a credit may sit in.
CREDIT_TAIL_BLOCKS = 4
# A credited outlet name longer than this is a sentence, not a name.
MAX_OUTLET_CHARS = 80
# A whole credit line longer than this is a paragraph that happens to start like one.
MAX_CREDIT_LINE_CHARS = 400
# Text beside a "the source" anchor in an unlabelled line ("Xem bài gốc tại:" at most).
MAX_ANCHOR_LEADIN_CHARS = 40

# Longest labels first, so "Nguồn tin" is tried before "Nguồn".
_LABEL = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(label) for label in sorted(CREDIT_LABELS, key=len, reverse=True))
    + r")\s*[:：]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Theo Báo Lâm Đồng", "(Theo Chinhphu.vn)": no comma or full stop inside; see _is_name().
_THEO = re.compile(r"^\s*\(?\s*Theo\s+(?P<rest>(?:[^.!?,;:()]|\.(?=\w)){2,80}?)\s*\)?\s*\.?\s*$")
# A "Theo X" line longer than this many words is a sentence ("Theo kế hoạch, ...").
MAX_THEO_WORDS = 8
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BLOCKS = ("p", "div", "li", "blockquote", "h4", "h5", "h6", "span", "em", "i", "strong", "b")
# A credit is never inside these (a chart's "Nguồn: Tổng cục Thống kê" is a caption).
_NOT_CREDIT_CONTAINERS = frozenset({"figure", "figcaption", "table", "caption", "blockquote"})
_STRIP = " -–—|:()[],.;…"


@dataclass(frozen=True)
class Credit:
    """What a credit line says; either part may be missing.

    ``named`` is false when the line gave only a URL and ``outlet`` is that URL's host name:
    weaker evidence of *who* the outlet is than a printed name.
    """

    outlet: str | None = None
    url: str | None = None
    named: bool = True


def parse_credit_text(text: str | None) -> Credit | None:
    """A credit from one line of text: ``"Nguồn: Báo Lâm Đồng - https://..."`` and the like."""
    line = squash(text)
    if not line or len(line) > MAX_CREDIT_LINE_CHARS:
        return None
    match = _LABEL.match(line)
    if match is None:
        theo = _THEO.match(line)
        if theo is None or not _is_name(theo.group("rest")):
            return None
        return Credit(outlet=theo.group("rest").strip())
    rest = match.group("rest").strip()
    url_match = _URL.search(rest)
    url = _absolute(url_match.group(0)) if url_match else None
    if url is not None and url.endswith(("…", "...")):
        url = None  # a shortened URL is not the address; an anchor's href may still say it
    outlet = _URL.sub(" ", rest).strip(_STRIP) if rest else ""
    outlet = squash(outlet) or ""
    if outlet.casefold() in _SOURCE_TEXTS:  # "Crédit: Lien source" names no outlet
        outlet = ""
    if not outlet or len(outlet) > MAX_OUTLET_CHARS:
        outlet = None
    if outlet is None and url is None:
        return None
    if outlet is None:
        return Credit(outlet=outlet_from_url(url), url=url, named=False)
    return Credit(outlet=outlet, url=url)


def find_credit(content: etree._Element, base_url: str) -> Credit | None:
    """The credit at the end of an article body (an element of the page), or ``None``."""
    found = find_credit_block(content, base_url)
    return found[0] if found else None


def find_credit_block(
    content: etree._Element, base_url: str
) -> tuple[Credit, etree._Element] | None:
    """The credit at the end of a body and the element that prints it (to keep it out of
    the article text), or ``None``."""
    for block in reversed(_tail_blocks(content)):
        credit = credit_of_block(block, base_url)
        if credit is not None:
            return credit, block
    return None


def credit_of_block(block: etree._Element, base_url: str) -> Credit | None:
    """The credit one block prints, if the block is a credit line (see the module docstring)."""
    text = squash(" ".join(block.itertext())) or ""
    anchors = _external_anchors(block, base_url)
    parsed = parse_credit_text(text)
    if parsed is not None or (len(text) <= MAX_CREDIT_LINE_CHARS and _LABEL.match(text)):
        # A labelled line: "Crédit: Lien source" and "Источник: https://…" say it in the href.
        href = _credit_href(anchors, parsed or Credit())
        if href is None:
            return parsed
        if parsed is not None and parsed.named:
            return Credit(outlet=parsed.outlet, url=href)
        return Credit(outlet=outlet_from_url(href), url=href, named=False)
    for label, href in anchors:
        rest = text.replace(label, " ", 1).strip(_STRIP) if label else text.strip(_STRIP)
        if _is_source_text(label) and len(rest) <= MAX_ANCHOR_LEADIN_CHARS:
            return Credit(outlet=outlet_from_url(href), url=href, named=False)
        if _URL_ONLY.match(label) and not rest:
            return Credit(outlet=outlet_from_url(href), url=href, named=False)
    bare = text.strip(_STRIP)
    if _URL_ONLY.match(bare) and not _same_site(_absolute(bare), base_url):
        url = _absolute(bare.rstrip(".,;"))
        return Credit(outlet=outlet_from_url(url), url=url, named=False)
    return None


def outlet_from_url(url: str | None) -> str | None:
    """``https://www.baolamdong.vn/x.html`` → ``baolamdong.vn``."""
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.") or None


def _tail_blocks(content: etree._Element) -> list[etree._Element]:
    """The last few text blocks of the body, innermost first where blocks nest.

    Walks the body backwards and stops at ``CREDIT_TAIL_BLOCKS``: a long article's earlier
    paragraphs are never looked at (this runs on every crawled page).
    """
    found: list[etree._Element] = []
    for el in reversed(list(content.iter(*_BLOCKS))):
        if (
            el.tag not in _NOT_CREDIT_CONTAINERS
            and not any(c.tag in ("p", "div") for c in el)
            and not any(a.tag in _NOT_CREDIT_CONTAINERS for a in el.iterancestors())
            and squash(" ".join(el.itertext()))
        ):
            found.append(el)
            if len(found) == CREDIT_TAIL_BLOCKS:
                break
    return found[::-1]


def _external_anchors(block: etree._Element, base_url: str) -> list[tuple[str, str]]:
    """``(text, absolute href)`` of the block's links to other sites, in order."""
    found = []
    for anchor in block.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = urljoin(base_url, href)
        if urlsplit(absolute).scheme not in ("http", "https") or _same_site(absolute, base_url):
            continue
        found.append((squash(" ".join(anchor.itertext())) or "", absolute))
    return found


def _credit_href(anchors: list[tuple[str, str]], parsed: Credit) -> str | None:
    """In a labelled credit line, the anchor that is the original: one whose text is a URL,
    a "the source" text or the outlet's name; else the only anchor there is."""
    for label, href in anchors:
        if (
            not label
            or _URL_ONLY.match(label)
            or _is_source_text(label)
            or (parsed.outlet and label.casefold() == parsed.outlet.casefold())
        ):
            return href
    return anchors[0][1] if len(anchors) == 1 else None


def _is_name(text: str) -> bool:
    """An outlet's name: capitalised ("Báo Lâm Đồng", "TTXVN", "VnExpress"), a few words."""
    text = text.strip()
    return (
        bool(text)
        and (text[0].isupper() or text[0].isdigit())
        and (len(text.split()) <= MAX_THEO_WORDS)
    )


def _is_source_text(label: str) -> bool:
    return label.casefold().strip(_STRIP) in _SOURCE_TEXTS


def _absolute(url: str) -> str:
    url = url.rstrip(".,;:")
    return url if "://" in url else f"https://{url}"


def _same_site(url: str, base_url: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").lower().removeprefix("www.")

    return host(url) == host(base_url)
