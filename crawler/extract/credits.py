"""Credit lines of republished articles: which outlet is credited and the original's URL.

A republication ends with a line naming its origin, in the page's own language: "Nguồn:
https://...", "Source: Báo Lâm Đồng", "Источник: ...", "Theo TTXVN", or a bare anchor such as
"Lien source" whose ``href`` is the original. The dedup stage trusts these more than any text
similarity, so a credit is only taken from the last few blocks of the body and only when it
looks like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extract.text import squash

# Credit labels as the editions print them, followed by ":" (ASCII or full-width).
CREDIT_LABELS = (
    "Nguồn", "Nguồn tin", "Nguồn bài", "Source", "Sources", "Источник", "Джерело", "Kilde",
    "Källa", "Kilde/Source", "Quelle", "Fuente", "Fonte", "Źródło", "Bron", "Lähde", "Zdroj",
    "Forrás", "Sursa", "Kaynak", "Sumber", "出典", "出处", "来源", "來源", "출처", "ที่มา",
    "Crédit", "Credit", "Crédits",
)  # fmt: skip
# Link texts that stand for "the original article" when the URL is only in the href.
SOURCE_LINK_TEXTS = (
    "lien source", "link bài gốc", "bài gốc", "source link", "original article", "link",
    "ссылка на источник", "посилання на джерело", "originalartikkel", "originalartikel",
    "enlace a la fuente", "enlace fuente", "link da fonte", "원문", "原文", "元の記事",
)  # fmt: skip
# How many blocks from the end of the body a credit may sit in.
CREDIT_TAIL_BLOCKS = 4
# A credited outlet name longer than this is a sentence, not a name.
MAX_OUTLET_CHARS = 80

_LABEL = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(label) for label in CREDIT_LABELS)
    + r")\s*[:：]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_THEO = re.compile(r"^\s*\(?\s*Theo\s+(?P<rest>[^.!?]{2,80}?)\s*\)?\s*\.?\s*$")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_BLOCKS = ("p", "div", "li", "blockquote", "h4", "h5", "h6", "span", "em", "i", "strong", "b")


@dataclass(frozen=True)
class Credit:
    """What a credit line says; either part may be missing."""

    outlet: str | None = None
    url: str | None = None


def parse_credit_text(text: str | None) -> Credit | None:
    """A credit from one line of text: ``"Nguồn: Báo Lâm Đồng - https://..."`` and the like."""
    line = squash(text)
    if not line:
        return None
    match = _LABEL.match(line) or _THEO.match(line)
    if not match:
        return None
    rest = match.group("rest").strip()
    url_match = _URL.search(rest)
    url = url_match.group(0).rstrip(".,;") if url_match else None
    outlet = _URL.sub("", rest).strip(" -–—|:()[],.") if rest else ""
    outlet = outlet if outlet and len(outlet) <= MAX_OUTLET_CHARS else None
    if outlet is None and url is None:
        return None
    if outlet is None and url is not None:
        outlet = _outlet_from_url(url)
    return Credit(outlet=outlet, url=url)


def find_credit(content: etree._Element, base_url: str) -> Credit | None:
    """The credit at the end of an article body (an element of the page), or ``None``."""
    blocks = _tail_blocks(content)
    for block in reversed(blocks):
        credit = parse_credit_text(" ".join(block.itertext()))
        link = _source_link(block, base_url)
        if credit is not None:
            if credit.url is None and link is not None:
                credit = Credit(outlet=credit.outlet, url=link)
            return credit
        if link is not None:
            return Credit(outlet=_outlet_from_url(link), url=link)
    return None


def _tail_blocks(content: etree._Element) -> list[etree._Element]:
    """The last few text blocks of the body, innermost first where blocks nest."""
    blocks = [
        el
        for el in content.iter(*_BLOCKS)
        if squash(" ".join(el.itertext())) and not any(c.tag in ("p", "div") for c in el)
    ]
    return blocks[-CREDIT_TAIL_BLOCKS:]


def _source_link(block: etree._Element, base_url: str) -> str | None:
    """The href of an anchor whose text says "the source", pointing to another site."""
    for anchor in block.iter("a"):
        label = (squash(" ".join(anchor.itertext())) or "").casefold().strip(" :.")
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = urljoin(base_url, href)
        is_label = label in SOURCE_LINK_TEXTS or label == absolute.casefold()
        if is_label and urlsplit(absolute).netloc != urlsplit(base_url).netloc:
            return absolute
    return None


def _outlet_from_url(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
