"""Dedup text normalization: what two copies of one report have in common, and nothing else.

Copies of one report differ in what each outlet wraps around it: a lead prefix that signs the
text ("(Chinhphu.vn) - ", "TCCS - ", "Communist Review - ", a "HÀ NỘI - " dateline), an author
line and a credit line at the end ("Minh Anh", "Nguồn: https://...", "Theo TTXVN"), the sapo
printed as a summary on one site and as the first paragraph on another, decomposed accents,
punctuation and spacing. :func:`clean_paragraphs` removes the wrapping (keeping case, for the feature
extractor); :func:`fold` and :func:`tokens` then give the diacritic-folded, lower-case words
that shingles and the exact-text hash are built from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from crawler.extract.credits import parse_credit_text
from crawler.extract.text import split_outlet_prefix

# How many paragraphs at the end of the body may be author or credit lines.
TAIL_LINES = 4
# An author line has at most this many words (after a "Bài và ảnh:" label) and characters.
MAX_BYLINE_WORDS = 6
MAX_BYLINE_CHARS = 70
# A dateline / outlet prefix ("Communist Review - ", "HÀ NỘI - ") is at most this long.
MAX_PREFIX_WORDS = 4
MAX_PREFIX_CHARS = 40
# A summary printed again at the start of the body is recognised when all its words but this
# many (a summary cut off mid-word, with an ellipsis) open the body.
SUMMARY_REPEAT_SLACK = 2

# Labels that introduce an author line, in the languages of the editions.
_BYLINE_LABEL = re.compile(
    r"^\s*(?:(?:bài|tin|ảnh|video|clip|nhóm pv)(?:\s*(?:,|và|-|&)\s*(?:bài|tin|ảnh|video))*"
    r"|by|par|por|von|av|af|di|door|автор|текст|фото|автори|text|photo|texte|foto)"
    r"\s*[:.]?\s+",
    re.IGNORECASE,
)
# Words that may join names in an author line: "Minh Anh và Thu Hà", "A. Smith and B. Lee".
_BYLINE_JOINERS = frozenset({"và", "and", "et", "und", "y", "e", "и", "і", "og", "och", "-", "–",
                             "—", "/", "&", ",", "|"})  # fmt: skip
# A dateline or outlet prefix: a capitalised phrase, no digits, then a spaced dash.
_PREFIX = re.compile(r"^\s*(?P<head>[^\W\d][^\d\n]{0,60}?)\s+[-–—]\s+(?=\S)")
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")
# Scripts written without spaces between words: each character is a token of its own.
_UNSPACED = (
    r"\u0e00-\u0eff"  # Thai, Lao
    r"\u1000-\u109f"  # Myanmar
    r"\u1780-\u17ff"  # Khmer
    r"\u3040-\u30ff"  # Hiragana, Katakana
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
)
# Combining diacritical marks (the blocks Latin, Vietnamese, Cyrillic and Greek accents come
# from). Marks that are part of a script's spelling (Thai vowels, Devanagari matras) stay.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")


def fold(text: str) -> str:
    """NFC-independent, accent-free, lower-case: ``"Đổi Mới"`` → ``"doi moi"``.

    Vietnamese loses its tone marks and ``đ`` becomes ``d``, so a copy typed with decomposed
    accents, or an English text quoting "Nguyen Manh Hung", meets the original.
    """
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    # NFC again: Hangul syllables decompose into jamo, which must be put back together.
    stripped = unicodedata.normalize("NFC", stripped)
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def tokens(text: str) -> list[str]:
    """The folded words of ``text``; punctuation and spacing vanish, CJK/Thai characters are
    tokens of their own (those scripts put no spaces between words)."""
    return _TOKEN.findall(fold(text))


def clean_paragraphs(summary: str | None, text: str | None) -> list[str]:
    """Summary and body as one list of paragraphs without outlet prefix, author and credit
    lines; the summary is left out when the body opens with it anyway. Case is kept."""
    body = [p.strip() for p in _PARAGRAPHS.split(unicodedata.normalize("NFC", text or ""))]
    body = _drop_tail(p for p in body if p)
    if body:
        body[0] = strip_prefix(body[0])
    lead = strip_prefix(unicodedata.normalize("NFC", summary or "").strip())
    if lead and not _opens_with(body, lead):
        body.insert(0, lead)
    return [p for p in body if p]


def strip_prefix(lead: str) -> str:
    """``"(Chinhphu.vn) - HÀ NỘI - Chính phủ..."`` → ``"Chính phủ..."``.

    ``split_outlet_prefix`` knows the outlets' own signatures; a few more capitalised words
    before a spaced dash ("Communist Review - ", "Lâm Đồng – ") are also taken as a dateline:
    both copies lose them alike, so no report is split by it.
    """
    for _ in range(2):
        _outlet, rest = split_outlet_prefix(lead)
        if rest is not None and rest != lead:
            lead = rest
            continue
        match = _PREFIX.match(lead)
        if match is None:
            break
        head = match.group("head")
        if (
            not head[0].isupper()
            or len(head) > MAX_PREFIX_CHARS
            or len(head.split()) > MAX_PREFIX_WORDS
            or any(c in head for c in ".!?,;:")
        ):
            break
        lead = lead[match.end() :]
    return lead


def is_byline(line: str) -> bool:
    """An author line: "Minh Anh", "Thu Hằng - Ngọc Lan (TTXVN)", "Bài và ảnh: Hoàng Hà",
    "By Minh Anh", "Phòng Truyền thông", "Phóng viên: Lê Minh".

    A few words, the first capitalised, no digits and no sentence punctuation. Only ever asked
    about the last lines of a body, where a line that short is a signature, not the story.
    """
    line = line.strip()
    if not line or len(line) > MAX_BYLINE_CHARS or any(c.isdigit() for c in line):
        return False
    rest = _BYLINE_LABEL.sub("", line, count=1)
    head, colon, tail = rest.partition(":")
    if colon:  # "Phóng viên: Lê Minh" - a short label of our own guessing
        if len(head.split()) > 3:
            return False
        rest = tail
    rest = rest.strip().rstrip(".")
    if any(c in rest for c in "!?;:"):
        return False
    words = [w for w in re.split(r"\s+|(?=[,&/|])|(?<=[,&/|])", rest) if w]
    names = [w for w in words if w.lower() not in _BYLINE_JOINERS]
    return 0 < len(names) <= MAX_BYLINE_WORDS and _is_name_word(names[0])


def _is_name_word(word: str) -> bool:
    word = word.strip("()[]\"'“”")
    return bool(word) and (word[0].isupper() or not word[0].isalpha())


def _drop_tail(paragraphs: Iterable[str]) -> list[str]:
    """Paragraphs without the author and credit lines among the last ``TAIL_LINES``."""
    body = list(paragraphs)
    for _ in range(TAIL_LINES):
        if not body:
            break
        last = body[-1]
        if parse_credit_text(last) is not None or is_byline(last):
            body.pop()
        else:
            break
    return body


def _opens_with(body: list[str], lead: str) -> bool:
    """Whether the body starts with the summary's words (a cut-off summary counts)."""
    lead_words = tokens(lead)
    if not lead_words or not body:
        return False
    need = max(1, len(lead_words) - SUMMARY_REPEAT_SLACK)
    opening: list[str] = []
    for paragraph in body:
        opening.extend(tokens(paragraph))
        if len(opening) >= need:
            break
    return opening[:need] == lead_words[:need]


def normalized_text(summary: str | None, text: str | None) -> str:
    """The dedup text of an article: folded words of the cleaned summary and body, spaced."""
    return " ".join(t for p in clean_paragraphs(summary, text) for t in tokens(p))
