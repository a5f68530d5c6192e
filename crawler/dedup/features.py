"""Language-independent features: what a translation keeps of its original.

A machine translation rewrites every word but keeps the facts a reader could check: the
numbers ("1.200 tỷ đồng" → "1,200 billion VND" / "1 200 milliards de dongs"), percentages,
dates ("05/09/2026" → "5 September 2026" → "5 сентября 2026"), document numbers ("57-NQ/TW",
"1131/QĐ-TTg"), web addresses and, in Latin-script
languages, people's and places' names with their accents folded away ("Nguyễn Mạnh Hùng" →
"Nguyen Manh Hung"). Each is written as a short string with a kind prefix:

=============  ===========================================  ===============================
prefix         what                                         example
=============  ===========================================  ===============================
``doc:``       document number, folded                      ``doc:1131/qd-ttg``
``url:``       host and path, no scheme or ``www.``         ``url:dichvucong.gov.vn``
``pct:``       a percentage                                 ``pct:12.5``
``n:``         a number, scaled by its magnitude word       ``n:1200000000000``
``d:``         a day of a month (year dropped: often left   ``d:09-05``
               out of one of the texts)
``ym:``        a month of a year without a day              ``ym:2026-09``
``nm:``        two adjacent capitalised Latin words         ``nm:manh hung``
=============  ===========================================  ===============================

Numbers are read the same way in every language, so a text and its translation agree even
where their conventions differ: a ``.``, ``,`` or thin space followed by exactly three digits
groups thousands, any other ``.`` or ``,`` is a decimal point ("1.200" = "1,200" = "1 200" =
1200; "3,5" = "3.5"). Extraction goes from the most specific pattern to the least, and each
match is blanked out before the next, so "40/2026/NQ-CP" is not also read as a date or as
three numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from crawler.dedup.text import fold

# Languages whose "billion" (billion, Billion, billón...) is 10^12, not 10^9.
LONG_SCALE_LANGS = frozenset({"fr", "de", "nl", "es", "it", "pt", "pl", "cs", "da", "no",
                              "sv", "fi", "hu"})  # fmt: skip
# Languages that group thousands with a plain space ("1 200"); elsewhere only non-breaking
# and thin spaces group digits (a plain space between numbers in Vietnamese or English
# separates two numbers).
SPACE_GROUPING_LANGS = frozenset({"fr", "ru", "uk", "pl", "cs", "no", "da", "sv", "fi", "hu",
                                  "de", "es", "pt", "it"})  # fmt: skip

# Magnitude words after a number, folded (see text.fold), per value; a trailing "*" stands
# for any inflection ("миллион*": миллион, миллиона, миллионов, миллионы). Longest first in
# the expression, so "nghin ty" wins over "nghin".
_MAGNITUDES: dict[str, int] = {}
for _value, _words in {
    10**3: "nghin thousand* mille mil mila tausend tusen tuhat* tys* tisic* ribu bin тыс* тис*",
    10**6: "trieu million* mn mio miljon* miljoen* millon* milhao milhoes milion* miljoon* mln "
    "juta milyon млн миллион* мільйон*",
    10**9: "ty ti billion* bn mrd milliard* miljard* mil_millones miliard* mld miliar milyar "
    "bilhao bilhoes млрд миллиард* мільярд*",
    10**12: "nghin_ty trillion* trn tn billones trilhao trilhoes triliun трлн триллион* трильйон*",
}.items():
    for _word in _words.split():
        _MAGNITUDES[fold(_word.replace("_", " "))] = _value
# The inflected ones, longest stem first.
_STEMS = sorted(
    ((w[:-1], v) for w, v in _MAGNITUDES.items() if w.endswith("*")), key=lambda s: -len(s[0])
)
_CJK_MAGNITUDES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12,
                   "만": 10**4, "억": 10**8, "조": 10**12, "千": 10**3, "천": 10**3}  # fmt: skip

# Month names, folded, per month number (genitive and nominative where they differ).
_MONTHS: dict[str, int] = {}
# Russian and Ukrainian months also turn up in the locative and instrumental ("в августе",
# "августом"): stems with their endings.
_SLAVIC_MONTHS = (
    "январ:ь,я,е,ем",
    "феврал:ь,я,е,ем",
    "март:,а,е,ом",
    "апрел:ь,я,е,ем",
    "ма:й,я,е,ем",
    "июн:ь,я,е,ем",
    "июл:ь,я,е,ем",
    "август:,а,е,ом",
    "сентябр:ь,я,е,ем",
    "октябр:ь,я,е,ем",
    "ноябр:ь,я,е,ем",
    "декабр:ь,я,е,ем",
    "січ:ень,ня,ні,нем",
    "лют:ий,ого,ому,им",
    "берез:ень,ня,ні,нем",
    "квіт:ень,ня,ні,нем",
    "трав:ень,ня,ні,нем",
    "черв:ень,ня,ні,нем",
    "лип:ень,ня,ні,нем",
    "серп:ень,ня,ні,нем",
    "верес:ень,ня,ні,нем",
    "жовт:ень,ня,ні,нем",
    "листопад:,а,і,ом",
    "груд:ень,ня,ні,нем",
)
for _index, _entry in enumerate(_SLAVIC_MONTHS):
    _stem, _endings = _entry.split(":")
    for _ending in _endings.split(","):
        _MONTHS[fold(_stem + _ending)] = _index % 12 + 1
for _number, _names in enumerate(
    [
        "january jan janvier enero janeiro gennaio januar januari janv stycznia styczen ledna "
        "leden tammikuuta ocak января январь січня січень",
        "february feb fevrier febrero fevereiro febbraio februar februari fevr lutego luty "
        "unora unor helmikuuta subat февраля февраль лютого лютий",
        "march mar mars marzo marco marz maart marca marzec brezna brezen maaliskuuta mart "
        "maret марта март березня березень",
        "april apr avril abril aprile kwietnia kwiecien dubna duben huhtikuuta nisan "
        "апреля апрель квітня квітень",
        "may mai mayo maio maggio mei maj maja kvetna kveten toukokuuta mayis мая май травня "
        "травень",
        "june jun juin junio junho giugno juni juni czerwca czerwiec cervna cerven kesakuuta "
        "haziran июня июнь червня червень",
        "july jul juillet julio julho luglio juli juli lipca lipiec cervence cervenec "
        "heinakuuta temmuz июля июль липня липень",
        "august aug aout agosto agosto agosto august augusti augustus sierpnia sierpien "
        "srpna srpen elokuuta agustus agustos августа август серпня серпень",
        "september sep sept septembre septiembre setiembre setembro settembre september "
        "wrzesnia wrzesien zari syyskuuta eylul сентября сентябрь вересня вересень",
        "october oct octobre octubre outubro ottobre oktober oktober okt pazdziernika "
        "pazdziernik rijna rijen lokakuuta ekim октября октябрь жовтня жовтень",
        "november nov novembre noviembre novembro novembre november listopada listopad "
        "listopadu marraskuuta kasim ноября ноябрь листопада листопад",
        "december dec decembre diciembre dezembro dicembre dezember desember december "
        "grudnia grudzien prosince prosinec joulukuuta aralik декабря декабрь грудня грудень",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[fold(_name)] = _number
# Hungarian, year first ("2026. szeptember 5."; the last three are in the table above).
_HUNGARIAN_MONTHS = "januar februar marcius aprilis majus junius julius augusztus szeptember"
for _number, _name in enumerate(_HUNGARIAN_MONTHS.split(), start=1):
    _MONTHS.setdefault(_name, _number)

# Patterns start with a character class (a digit, a letter) and check what comes before with
# a lookbehind *after* it: Python's regex engine then skips ahead to candidate characters
# instead of trying every position, which makes extraction several times faster.
#
# A number not glued to a digit, point, comma or slash before it: "1.200", "1,200", "3,5",
# "12.5", "1.200.000,5", and "1 200" where SPACE_GROUPING_LANGS group with spaces.
_NUM_START = r"\d(?<![\d.,/]\d)"
_NUM = _NUM_START + r"\d*(?:(?:[.,]|[\u00a0\u202f\u2009])\d+)*"
_NUM_SPACED = _NUM_START + r"\d*(?:(?:[.,]|[ \u00a0\u202f\u2009])\d+)*"
_NUM_END = r"(?![.,]?\d)"
_URL_PREFIXED = re.compile(r"[hwHW](?:ttps?://|ww\.)[^\s<>\"'()\[\]]+")
_TLDS = r"(?:vn|com|org|net|gov|edu|io|ai|info|int)"
_TLD = re.compile(rf"\.{_TLDS}\b", re.IGNORECASE)
_DOMAIN = re.compile(
    rf"[a-z0-9](?<![\w.-][a-z0-9])[a-z0-9-]*(?:\.[a-z0-9-]+)*\.{_TLDS}"
    r"(?:/[^\s<>\"'()\[\]]*)?(?!\w|\.\w)",
    re.IGNORECASE,
)
# "57-NQ/TW", "1131/QĐ-TTg", "40/2026/NQ-CP", "93/2025/QH15", "02/CT-TTg".
# Bounded by Latin letters and digits only: in Chinese "第1131/QĐ-TTg号" is a number too.
_DOC = re.compile(
    r"\d(?<![0-9A-Za-zÀ-ɏḀ-ỿ/.-]\d)\d{0,4}(?:/\d{4})?[/-][A-ZĐ][A-ZĐa-z0-9]{0,7}"
    r"(?:[-/][A-ZĐ][A-ZĐa-z0-9]{0,7}){0,3}(?![0-9A-Za-zÀ-ɏḀ-ỿ/])"
)
# A folded word that may be a month name (checked against _MONTHS by the key function).
_MONTH_WORD = r"(?P<mn>[a-z\u0430-\u045f](?<![^\W\d_][a-z\u0430-\u045f])[a-z\u0430-\u045f]{2,11})"
_MONTH_NAMES = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY_START = r"(?P<d>\d(?<![\d.,/-]\d)\d?)"
_DAY = r"(?P<d>[0-3]?\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_YEAR_START = r"(?P<y>[12](?<![\d.,/-][12])[09]\d\d)"
# Date patterns, on folded text, most specific first; each gives day and month (name or
# number), perhaps a year. The first two only run on text with CJK / Korean date marks.
_CJK_DATE = re.compile(rf"(?<!\d)(?:{_YEAR}\s*年\s*)?(?P<m>[01]?\d)\s*月\s*{_DAY}\s*日")
_KO_DATE = re.compile(rf"(?<!\d)(?:{_YEAR}\s*년\s*)?(?P<m>[01]?\d)\s*월\s*{_DAY}\s*일")
_DATES = [
    re.compile(rf"{_YEAR_START}[-/.](?P<m>[01]?\d)[-/.]{_DAY}(?![\d/])"),
    re.compile(rf"{_DAY_START}[/.-](?P<m>[01]?\d)[/.-](?P<y>(?:19|20)?\d\d)(?![\d/])"),
    re.compile(rf"{_DAY_START}\s+thang\s+(?P<m>[01]?\d)(?:\s*(?:nam|,|/)\s*{_YEAR})?"),
]
# Dates with month names, only looked for in languages that write them (see extract()).
_NAMED_DATES = [
    re.compile(
        rf"{_DAY_START}(?:\.|er|st|nd|rd|th)?\s+(?:de\s+|of\s+)?(?P<mn>{_MONTH_NAMES})\b\.?"
        rf"(?:,?\s+(?:de\s+|del\s+)?{_YEAR})?"
    ),
    # "September 5, 2026", "Sept. 5" and, without a day, "September 2026" (a month of a year)
    re.compile(
        rf"{_MONTH_WORD}\b\.?\s+(?:(?:de|of|del)\s+)?"
        rf"(?:{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?|(?P<my>(?:19|20)\d\d))"
    ),
    re.compile(rf"{_YEAR_START}\.\s*(?P<mn>{_MONTH_NAMES})\b\.?\s+{_DAY}\b"),
]
_DAY_MONTH = re.compile(rf"{_DAY_START}/(?P<m>[01]?\d)(?![\d/])")
# Languages that never write month names (Vietnamese "tháng 9", CJK "9月"): the named-date
# patterns are skipped for them, which saves a third of the extraction time on most articles.
NO_MONTH_NAMES = frozenset({"vi", "zh", "ja", "ko", "th", "lo", "km"})
_CJK_MONTH_YEAR = re.compile(r"(?P<y>[12][09]\d\d)\s*(?:年|년)\s*(?P<m>[01]?\d)\s*(?:月|월)")
_MONTH_YEARS = [
    re.compile(rf"thang\s+(?P<m>[01]?\d)\s*(?:/|nam|-)\s*{_YEAR}"),
    re.compile(rf"(?P<m>\d(?<![\d.,/-]\d)\d?)/{_YEAR}(?![\d/])"),
]
# Percent signs and words; "percentage points" and "điểm phần trăm" count as percentages.
_PERCENT_WORDS = (
    r"%|％|(?:diem\s+)?phan tram|percent\w*|per cent|(?:points?\s+de\s+)?pour\s?cent\w*"
    r"|(?:points?\s+de\s+)?pourcentage|por ciento|por cento|per cento|prozent\w*|procent\w*"
    r"|prosent\w*|persen|yuzde|процент\w*|відсот\w*|퍼센트"
)
# Latin letters (with Vietnamese and other accents) and the capitals among them.
_LATIN_RANGES = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
_LATIN = "".join(chr(c) for c in _LATIN_RANGES if chr(c).isalpha())
_LATIN_UPPER = "".join(chr(c) for c in _LATIN_RANGES if chr(c).isupper())
# A capitalised Latin word followed by a space or hyphen and another one: "Nguyễn Mạnh Hùng"
# gives "Nguyễn"+"Mạnh" and "Mạnh"+"Hùng" (the second word is looked at, not consumed).
_NAME_PAIR = re.compile(
    rf"(?P<a>[{_LATIN_UPPER}](?<![\w][{_LATIN_UPPER}])[{_LATIN}'’]*)"
    rf"(?=[ \-\u00a0](?P<b>[{_LATIN_UPPER}][{_LATIN}'’]*)(?!\w))"
)
# Years say little (every article names a target year): never lookup keys, light weights.
YEARS = range(1900, 2101)


def extract(parts: Iterable[str], lang: str | None) -> frozenset[str]:
    """The features of ``parts`` (title, summary, paragraphs), written in ``lang``."""
    lang = (lang or "").lower()
    text = "\n".join(p for p in parts if p)
    found: set[str] = set()
    text = _take(_URL_PREFIXED, text, found, _url_key)
    if _TLD.search(text):
        text = _take(_DOMAIN, text, found, _url_key)
    text = _take(_DOC, text, found, _doc_key)
    _names(text, found)
    folded = fold(text)
    if "月" in folded:
        folded = _take(_CJK_DATE, folded, found, _date_key)
        folded = _take(_CJK_MONTH_YEAR, folded, found, _month_year_key)
    if "월" in folded:
        folded = _take(_KO_DATE, folded, found, _date_key)
        folded = _take(_CJK_MONTH_YEAR, folded, found, _month_year_key)
    for pattern in _DATES:
        folded = _take(pattern, folded, found, _date_key)
    if lang not in NO_MONTH_NAMES:
        for pattern in _NAMED_DATES:
            folded = _take(pattern, folded, found, _date_key)
    folded = _take(_DAY_MONTH, folded, found, _date_key)
    for pattern in _MONTH_YEARS:
        folded = _take(pattern, folded, found, _month_year_key)
    numbers = _NUMBER_PATTERNS[lang in SPACE_GROUPING_LANGS]
    _take(numbers, folded, found, lambda m: _number_key(m, lang))
    return frozenset(found)


def _number_pattern(num: str) -> re.Pattern[str]:
    """A number (``num``) and what follows it: a percent sign or word, a magnitude word or
    two ("1.200 tỷ", "1,2 nghìn tỷ", "1.2万亿"), or nothing that glues it to a word ("5G")."""
    words = sorted(_MAGNITUDES, key=len, reverse=True)
    magnitudes = "|".join(
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words
    )
    magnitude = rf"(?:{magnitudes})\b\.?|[{''.join(_CJK_MAGNITUDES)}]"
    return re.compile(
        rf"(?P<n>{num})(?:\s*(?P<pct>{_PERCENT_WORDS})"
        rf"|\s*(?P<mag>{magnitude})(?:\s*(?P<mag2>{magnitude}))?"
        rf"|{_NUM_END}(?![^\W\d_]))"
    )


_NUMBER_PATTERNS = {False: _number_pattern(_NUM), True: _number_pattern(_NUM_SPACED)}


def _take(
    pattern: re.Pattern[str],
    text: str,
    found: set[str],
    key: Callable[[re.Match[str]], str | None],
) -> str:
    """Add ``key(match)`` for every match and blank the matches out of ``text``."""
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        value = key(match)
        if value is None:
            continue
        found.add(value)
        pieces.append(text[last : match.start()])
        pieces.append(" " * (match.end() - match.start()))
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _url_key(match: re.Match[str]) -> str:
    url = fold(match.group(0)).rstrip(".,;:!?…")
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url)
    return "url:" + url.split("#", 1)[0].rstrip("/")


def _doc_key(match: re.Match[str]) -> str | None:
    """A document number has at least two capitals ("57-NQ/TW"; not "5-Star")."""
    text = match.group(0)
    if sum(c.isupper() for c in text) < 2:
        return None
    return "doc:" + fold(text)


def _date_key(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("my"):
        month = _MONTHS.get(groups["mn"])
        return None if month is None else f"ym:{groups['my']}-{month:02d}"
    month = _MONTHS.get(groups["mn"]) if groups.get("mn") else int(groups["m"])
    day = int(groups["d"])
    if month is not None and month > 12 and day <= 12 and not groups.get("mn"):
        day, month = month, day  # "9/25/2026": an American order
    if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"d:{month:02d}-{day:02d}"


def _month_year_key(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _MONTHS.get(groups["mn"]) if groups.get("mn") else int(groups["m"])
    if month is None or not 1 <= month <= 12:
        return None
    return f"ym:{groups['y']}-{month:02d}"


def parse_number(text: str) -> Decimal | None:
    """``"1.200"``, ``"1,200"``, ``"1 200"`` → 1200; ``"3,5"`` → 3.5 (see the module docstring)."""
    text = re.sub(r"[ \u00a0\u202f\u2009](?=\d{3}(?!\d))", "", text)
    separators = [c for c in text if c in ".,"]
    if not separators:
        digits = text
    elif len(set(separators)) == 2:
        decimal = text.rstrip("0123456789")[-1]  # the last separator is the decimal point
        group = "," if decimal == "." else "."
        digits = text.replace(group, "").replace(decimal, ".")
    else:
        sep = separators[0]
        groups = text.split(sep)
        if len(groups) > 2 or (len(groups[1]) == 3 and 0 < len(groups[0].lstrip("0")) <= 3):
            digits = "".join(groups)
        else:
            digits = ".".join(groups)
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """``Decimal("1.2E+3")`` → ``"1200"``, ``Decimal("3.50")`` → ``"3.5"``."""
    return format(value.normalize(), "f")


def _number_key(match: re.Match[str], lang: str) -> str | None:
    """``pct:12.5``, ``n:1200000000000`` ("1.200 tỷ"), ``n:1200``."""
    value = parse_number(match.group("n"))
    if value is None:
        return None
    if match.group("pct"):
        return "pct:" + _plain(value)
    for group in ("mag", "mag2"):
        word = (match.group(group) or "").rstrip(".")
        if not word:
            continue
        scale = _CJK_MAGNITUDES.get(word) or _magnitude(word)
        if word.startswith("billion") and lang in LONG_SCALE_LANGS:
            scale = 10**12
        value *= scale
    return "n:" + _plain(value)


def _magnitude(word: str) -> int:
    """The value of a magnitude word as matched ("миллионов" → 10**6)."""
    if word in _MAGNITUDES:
        return _MAGNITUDES[word]
    return next(value for stem, value in _STEMS if word.startswith(stem))


def _names(text: str, found: set[str]) -> None:
    """``nm:`` pairs of adjacent capitalised Latin words."""
    for pair in _NAME_PAIR.finditer(text):
        found.add(f"nm:{fold(pair.group('a'))} {fold(pair.group('b'))}")


def key_tier(feature: str) -> int | None:
    """How selective a feature is as a lookup key, 0 best; ``None``: never a key.

    0. document numbers and URLs;
    1. numbers and percentages of three or more significant digits ("1.250", "12,8", "7,25%");
    2. two significant digits, when large or fractional ("65.000", "1,7 triệu", "7,5%");
    3. other two-digit-precision values from 100 up ("250", "45%") and large round numbers
       ("1 triệu").
    Years, small numbers, dates and names are shared by too many articles.
    """
    kind, _, value = feature.partition(":")
    if kind in ("doc", "url"):
        return 0
    if kind not in ("n", "pct"):
        return None
    if value.isdigit() and int(value) in YEARS:
        return None
    digits = significant_digits(value)
    number = float(value)
    if digits >= 3:
        return 1
    if digits == 2 and (number >= 1000 or not value.isdigit()):
        return 2
    if (digits == 2 and (number >= 100 or kind == "pct")) or number >= 10_000:
        return 3
    return None


def is_common(feature: str) -> bool:
    """Whether a feature is too common to look candidates up by whenever rarer ones exist:
    dates, names, years, small or round numbers (see :func:`key_tier`)."""
    tier = key_tier(feature)
    return tier is None or tier > 1


def significant_digits(value: str) -> int:
    """``"1200000"`` → 2, ``"3.75"`` → 3, ``"2026"`` → 4."""
    return len(value.replace(".", "").strip("0"))
