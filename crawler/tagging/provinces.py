"""Province tags of one article: ``tag_provinces(title, text, url, lang, source_province)``.

Roles (a province may hold several; one ProvinceTag per (slug, role)):

- ``source``: the publishing site belongs to the province (``source_province``, else the host:
  laichau.gov.vn, sokhcn.lamdong.gov.vn, baolamdong.vn).
- ``primary``: THE province the article is about; at most one, none for national news.
- ``mentioned``: another province the article substantively concerns.

Mentions come from :mod:`crawler.tagging.matcher`; :mod:`crawler.tagging.roles` says which are
substantive. Substantive mentions are weighted by where they stand (title, lead, body) and
the weights below decide the roles.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.tagging import roles
from crawler.tagging.gazetteer import fold, load_gazetteer, nfc
from crawler.tagging.matcher import Hit, load_matcher

# --- weights and thresholds ----------------------------------------------------------------------

# A substantive mention in the title: the title says what the article is about.
TITLE_WEIGHT = 3.0
# ... in the lead (the first sentence of the text): the who-and-where of a news report.
LEAD_WEIGHT = 2.0
# ... anywhere else in the body.
BODY_WEIGHT = 1.0
# Extra weight for a mention in a sentence with figures (an activity measured in numbers is
# what makes a neighbouring province "substantively concerned").
FIGURES_BONUS = 1.0
# Extra weight for "tỉnh X" / "UBND tỉnh X" / "X province": the province as an actor.
ADMIN_BONUS = 0.5
# A province with this much weight, besides the primary, is ``mentioned``: two body mentions,
# one in the lead, one in the title, or one sentence with figures about it.
MENTION_MIN = 2.0
# Without a title mention, the primary needs at least this weight ...
PRIMARY_MIN = 2.0
# ... and this many times the weight of the runner-up; otherwise the article is national news
# spread over several provinces (or about none).
PRIMARY_DOMINANCE = 1.5
# A sentence naming this many distinct units is a list or a table: its mentions are passing.
LIST_MIN_UNITS = 4
# The source province becomes the primary of an article that names no province when the text
# speaks of "the province" at least this many times (a provincial portal's own news).
LOCAL_CUES_MIN = 2

_LOCAL_CUE = re.compile(
    r"\b(?:toan tinh|cua tinh|tren dia ban|ubnd tinh|tinh uy|thanh uy|ubnd thanh pho|"
    r"(?<!cac )(?<!nhieu )tinh (?:da|se|dang)|the province|provincial|the city|municipal|"
    r"провинци|провінці|la province|la ville|die provinz|la provincia|provinsen)"
)
_FIGURE = re.compile(r"\d")
_SENTENCE_MARK = re.compile(r"[.!?。！？；\n]")
_ABBREVIATION = re.compile(r"(?:\b(?:TP|Tp|tp|St|Mr|Dr|TS|ThS|GS|PGS|TT|Q|P)\.)$")


@dataclass(frozen=True)
class ProvinceTag:
    slug: str
    code: int
    name: str  # Vietnamese name of the unit
    role: str  # source | primary | mentioned
    names: tuple[str, ...] = ()  # the names as the article wrote them
    old_names: tuple[str, ...] = ()  # pre-2025 provinces the article named (Vietnamese names)


@dataclass(frozen=True)
class ProvinceResult:
    tags: list[ProvinceTag] = field(default_factory=list)
    primary: str | None = None


@dataclass
class _Unit:
    weight: float = 0.0
    title: bool = False
    first: int = 1 << 30
    first_title: int = 1 << 30
    opening: bool = False  # named (substantively) in the title or the first paragraph
    strong: int = 0  # substantive mentions that need no corroboration
    weak: float = 0.0  # weight of mentions that count only with a strong one
    names: list[str] = field(default_factory=list)
    old_names: list[str] = field(default_factory=list)


def _is_vietnamese(lang: str | None, text: str) -> bool:
    if lang:
        return lang.lower().startswith("vi")
    sample = text[:3000]
    return (
        sum(1 for c in sample if c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ") > 10
    )


def _host(url: str) -> str:
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def tag_provinces(
    title: str,
    text: str,
    url: str,
    lang: str | None,
    source_province: str | None = None,
) -> ProvinceResult:
    """The province tags of an article and its primary province (None for national news)."""
    gazetteer = load_gazetteer()
    title, text = nfc(title or ""), nfc(text or "")
    source = source_province or gazetteer.province_of_host(_host(url))
    if source is not None and source not in gazetteer.by_slug:
        resolved = gazetteer.resolve(source)
        source = resolved.slug if resolved else None

    joined = f"{title}\n{text}"
    title_end = len(title)
    hits = load_matcher().find(joined, folded=not _is_vietnamese(lang, joined))
    units = _weigh(hits, joined, title_end) if hits else {}

    primary = _primary(units, source, joined)
    tags: list[ProvinceTag] = []
    if source is not None:
        tags.append(_tag(source, "source", units.get(source)))
    if primary is not None:
        tags.append(_tag(primary, "primary", units.get(primary)))
    for slug, unit in sorted(units.items(), key=lambda item: (-item[1].weight, item[1].first)):
        if slug != primary and unit.strong and unit.weight >= MENTION_MIN:
            tags.append(_tag(slug, "mentioned", unit))
    return ProvinceResult(tags=tags, primary=primary)


def _tag(slug: str, role: str, unit: _Unit | None) -> ProvinceTag:
    province = load_gazetteer().by_slug[slug]
    return ProvinceTag(
        slug=slug,
        code=province.code,
        name=province.name_vi,
        role=role,
        names=tuple(unit.names) if unit else (),
        old_names=tuple(unit.old_names) if unit else (),
    )


def _lower_fold(text: str) -> str:
    folded = fold(text).lower()
    return folded if len(folded) == len(text) else "".join(c.lower()[:1] or c for c in fold(text))


def _sentence_ends(joined: str) -> list[int]:
    """Offsets where sentences end: after . ! ? followed by a space (not in "TP. HCM"), after
    CJK full stops, and at line breaks."""
    ends = []
    for match in _SENTENCE_MARK.finditer(joined):
        end = match.end()
        if match.group() in ".!?":
            if end < len(joined) and not joined[end].isspace():
                continue  # 5.000, TP.HCM, example.com
            if _ABBREVIATION.search(joined, max(0, end - 4), end):
                continue
        ends.append(end)
    return ends


def _weigh(hits: list[Hit], joined: str, title_end: int) -> dict[str, _Unit]:
    ends = _sentence_ends(joined)
    # the lead: the first sentence of the text; the first paragraph: up to the first line break
    body_start = title_end + 1
    lead_end = next((end for end in ends if end > body_start + 1), len(joined))
    paragraph_end = joined.find("\n", body_start)
    paragraph_end = len(joined) if paragraph_end < 0 else paragraph_end

    def sentence_of(pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(ends, pos)
        start = ends[i - 1] if i > 0 else 0
        end = ends[i] if i < len(ends) else len(joined)
        return start, end

    # units named per sentence: a sentence naming many is a list or a ranking table
    per_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    bounds: dict[tuple[int, int], list[int]] = {}
    placed = []
    for hit in hits:
        if hit.slug is None:
            continue
        span = sentence_of(hit.start)
        per_sentence[span].add(hit.slug)
        placed.append((hit, span))
        low = max(0, min(span[0], hit.start - roles.BEFORE_WINDOW))
        high = max(span[1], hit.end + roles.AFTER_WINDOW)
        if span in bounds:
            bounds[span][1] = high
        else:
            bounds[span] = [low, high]
    # one lower-cased, folded window per sentence holds the contexts of all its hits
    windows = {span: (lo, _lower_fold(joined[lo:hi])) for span, (lo, hi) in bounds.items()}

    # "Vibrant Hue Of Autumn": in a Title Case headline every word is capitalised
    title_words = joined[:title_end].split()
    title_cased = len(title_words) > 3 and sum(w[:1].isupper() for w in title_words) > 0.6 * len(
        title_words
    )

    units: dict[str, _Unit] = defaultdict(_Unit)
    previous: tuple[Hit, str] | None = None
    for hit, span in placed:
        offset, window = windows[span]
        sentence = window[span[0] - offset : span[1] - offset]
        before = window[max(0, hit.start - roles.BEFORE_WINDOW - offset) : hit.start - offset]
        after = window[hit.end - offset : hit.end - offset + roles.AFTER_WINDOW]
        info = hit.info
        raw_before = joined[max(0, hit.start - roles.BEFORE_WINDOW) : hit.start]
        kind = roles.classify(
            before,
            after,
            sentence,
            info.person,
            info.prefixed,
            hit.start < title_end,
            raw_before,
            hit.surface,
        )
        if (
            kind == roles.SUBSTANTIVE
            and previous is not None
            and previous[1] in roles.PASSING
            and roles.joins_list(_lower_fold(joined[previous[0].end : hit.start]))
        ):
            kind = previous[1]  # "bridge points in Lam Dong and Can Tho"
        previous = (hit, kind)
        if kind == roles.NOT_PROVINCE:
            continue
        named = len(per_sentence[span])
        listed = named >= LIST_MIN_UNITS or (named >= 2 and roles.is_ranking(sentence))
        if kind == roles.SUBSTANTIVE and hit.start >= title_end and listed:
            kind = roles.RANKING
        unit = units[hit.slug]
        if hit.surface not in unit.names:
            unit.names.append(hit.surface)
        if info.old_name and info.old_name not in unit.old_names:
            unit.old_names.append(info.old_name)
        if kind != roles.SUBSTANTIVE:
            continue
        in_title = hit.start < title_end
        weight = TITLE_WEIGHT if in_title else LEAD_WEIGHT if hit.start < lead_end else BODY_WEIGHT
        if not in_title and _FIGURE.search(sentence):
            weight += FIGURES_BONUS
        if info.prefixed or roles.admin_before(before):
            weight += ADMIN_BONUS
        # a bare "Hồ Chí Minh" that is not clearly the city, an all-caps "HÒA BÌNH", a
        # sentence-initial English "Hue": they count only beside a clear mention
        weak = (info.person and not info.prefixed and not roles.city_cue(before)) or (
            info.ambiguous
            and (hit.all_caps or _sentence_initial(before) or (in_title and title_cased))
        )
        if weak:
            unit.weak += weight
            continue
        unit.weight += weight
        unit.strong += 1
        unit.first = min(unit.first, hit.start)
        unit.opening = unit.opening or hit.start < paragraph_end
        if in_title:
            unit.title = True
            unit.first_title = min(unit.first_title, hit.start)
    for unit in units.values():
        if unit.strong:
            unit.weight += unit.weak
    return dict(units)


def _sentence_initial(before: str) -> bool:
    stripped = before.rstrip()
    return not stripped or stripped[-1] in '.!?\n:"“(' or before.endswith("\n")


def _primary(units: dict[str, _Unit], source: str | None, joined: str) -> str | None:
    ranked = sorted(
        (u for u in units.items() if u[1].strong),
        key=lambda item: (-item[1].weight, item[1].first_title, item[1].first),
    )
    titled = sorted((item for item in ranked if item[1].title), key=lambda i: i[1].first_title)
    if titled:
        # the title names it: the first named ("Đà Nẵng ký kết hợp tác ... với Huế"), unless
        # another named there weighs much more in the text
        slug, first = titled[0]
        heaviest = max(titled, key=lambda item: item[1].weight)
        if heaviest[1].weight >= PRIMARY_DOMINANCE * first.weight:
            return heaviest[0]
        return slug
    if ranked:
        slug, best = ranked[0]
        runner_up = ranked[1][1].weight if len(ranked) > 1 else 0.0
        if best.weight < PRIMARY_DOMINANCE * runner_up:
            return None  # spread over several provinces: national or regional news
        if slug == source:
            return slug  # a provincial site naming itself: one mention is enough
        # news names its place in the title or the opening paragraph; a province first named
        # deep in the body of a national story is not what the story is about
        if best.weight >= PRIMARY_MIN and best.opening:
            return slug
        return None
    if source is not None:
        cues = len(_LOCAL_CUE.findall(fold(joined).lower()))
        if cues >= LOCAL_CUES_MIN:
            return source
    return None
