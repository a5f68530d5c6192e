"""What a province mention is doing in its sentence: the rules that tell a substantive mention
(the article is about the place) from a passing one (a venue, a dateline, a delegation's origin,
a bridge point, a ranking, an organisation or a road named after the place) and from a name
that is not the province at all (a street, a ward, a river, the person Hồ Chí Minh).

Every rule reads a short window of the text around the hit, lower-cased and with Latin
diacritics folded (so one pattern covers "tại" and unaccented "tai"), in the languages of the
editions we read: Vietnamese, English, Russian, Ukrainian, French, German, Spanish, Norwegian,
Chinese, Korean, Japanese.
"""

from __future__ import annotations

import re

# Classes of a mention. SUBSTANTIVE counts towards the roles; the passing classes are kept (the
# tagger reports nothing for them) and NOT_PROVINCE hits are dropped.
SUBSTANTIVE = "substantive"
VENUE = "venue"
DATELINE = "dateline"
DELEGATION = "delegation"
BRIDGE = "bridge-point"
ORGANISATION = "organisation"
RANKING = "ranking"
ORIGIN = "origin"
NOT_PROVINCE = "not-province"
PASSING = frozenset({VENUE, DATELINE, DELEGATION, BRIDGE, ORGANISATION, RANKING, ORIGIN})

# How far the rules look, in characters.
BEFORE_WINDOW = 70
AFTER_WINDOW = 50
TAIL = 40  # enough for "học viện chính trị quốc gia " or "tại điểm cầu thành phố "


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# A street, ward, commune, district, river... named like the province: the name right after
# the noun (vi, ru, uk, fr, es) or right before it (en, de, no). Vietnamese nouns are matched
# with their diacritics (folded, "cho", "ho", "xa" are also "for", "they", "far"); "thành phố"
# ends in "phố" and "điểm cầu" in "cầu": both are excluded.
_PLACE_BEFORE_RAW = re.compile(
    r"(?:^|[^\w])"
    + _words(
        r"(?<!thành )phố",
        r"đường",
        r"phường",
        r"xã",
        r"quận",
        r"huyện",
        r"thị xã",
        r"thị trấn",
        r"ngõ",
        r"ngách",
        r"hẻm",
        r"đại lộ",
        r"khu phố",
        r"thôn",
        r"ấp",
        r"bản",
        r"sông",
        r"(?<!điểm )cầu",
        r"đèo",
        r"hồ",
        r"núi",
        r"chợ",
        r"bến xe",
        r"ga",
        r"tổ dân phố",
        r"phở",
        r"bún bò",
        r"bún chả",
    )  # fmt: skip
    + r"\s+$",
    re.IGNORECASE,
)
# The same nouns in unaccented text, where they are not ambiguous.
_PLACE_BEFORE_ASCII = re.compile(
    r"(?:^|[^\w])"
    + _words(
        r"(?<!dia )phuong",
        r"huyen",
        r"thi xa",
        r"thi tran",
        r"khu pho",
        r"ngach",
        r"hem",
        r"dai lo",
        r"duong pho",
    )  # fmt: skip
    + r"\s+$"
)
_PLACE_BEFORE = re.compile(
    r"(?:^|[^\w])"
    + _words(
        r"улиц[аеыу]",
        r"проспект[аеу]?",
        r"рек[аиеу]",
        r"вулиц[яіюі]",
        r"річк[аиі]",
        r"rue",
        r"avenue",
        r"boulevard",
        r"calle",
        r"avenida",
        r"rio",
        r"fleuve",
    )  # fmt: skip
    + r"\s+$"
)
_PLACE_AFTER = re.compile(
    r"^\s*-?\s*"
    + _words(
        r"street",
        r"st\.",
        r"road",
        r"avenue",
        r"boulevard",
        r"ward",
        r"commune",
        r"river",
        r"bridge",
        r"pass",
        r"lake",
        r"market",
        r"strasse",
        r"straße",
        r"gate",
        r"-strasse",
        r"-straße",
        r"-gata",
        r"gate",
        r"gata",
        r"district",
        r"town(?!ship)",
        r"village",
    )  # fmt: skip
    + r"\b"
)

# A bridge point of an online conference: "tại điểm cầu tỉnh X", "bridge points in X",
# "в точке подключения провинции X".
_BRIDGE_BEFORE = re.compile(
    _words(
        r"diem cau",
        r"bridge points?",
        r"connecting points?",
        r"connection points?",
        r"точк[аеиу]\s+подключени[яй]",
        r"точц[іи]\s+підключення",
        r"точк[аиу]\s+підключення",
        r"points? de connexion",
        r"points? de liaison",
        r"puntos? de conexi[oó]n",
        r"zugeschaltet",
        r"tilkoblingspunkt\w*",
    )  # fmt: skip
    + r"[^.;:!?\n]{0,40}$"
)

# A delegation's origin: "đoàn công tác tỉnh X", "a delegation from X", "délégations venues
# de X", "делегация провинции X".
_DELEGATION_BEFORE = re.compile(
    _words(
        r"doan (?:cong tac|dai bieu|can bo|lanh dao|khao sat)(?: cua)?(?: \w+){0,3}",
        r"delegations? (?:from|of)(?: the)?",
        r"delegation from",
        r"delegations? (?:venues? )?(?:de|d')",
        r"delegaciones? (?:de|procedentes de)",
        r"делегаци[яиею](?: из)?",
        r"делегаці[яїею](?: з)?",
        r"delegasjon(?:en)? fra",
        r"delegation aus",
    )  # fmt: skip
    + r"\s*(?:the |la |le |l'|de |провинции |провінції |города |міста |province |provincia )?"
    r"(?:tinh |thanh pho |tp\.? )?$"
)
_DELEGATION_AFTER = re.compile(r"^\s*(?:province |city )?(?:delegation|'s delegation)\b")

# The event a venue hosts, somewhere in the same sentence.
_EVENT = re.compile(
    _words(
        r"hoi nghi",
        r"hoi thao",
        r"dien dan",
        r"su kien",
        r"toa dam",
        r"trien lam",
        r"hoi cho",
        r"phien hop",
        r"cuoc hop",
        r"hop bao",
        r"khai mac",
        r"be mac",
        r"dien ra",
        r"ky ket",
        r"\ble\b",
        r"to chuc (?:hoi|le|dien|su|toa|cuoc|phien|tai|chuong)",
        r"conference",
        r"forum",
        r"workshop",
        r"seminar",
        r"summit",
        r"ceremony",
        r"exhibition",
        r"\bfair\b",
        r"took place",
        r"was held",
        r"were held",
        r"held in",
        r"\bheld\b",
        r"signed",
        r"signing",
        r"meeting",
        r"конференц",
        r"форум",
        r"церемони",
        r"прошл[аио]",
        r"состоял",
        r"семинар",
        r"выставк",
        r"мероприяти",
        r"подписан",
        r"церемоні",
        r"відбул",
        r"виставк",
        r"захід",
        r"заход",
        r"conference",
        r"conférence",
        r"cérémonie",
        r"ceremonie",
        r"s'est tenu",
        r"a eu lieu",
        r"salon",
        r"exposition",
        r"konferenz",
        r"zeremonie",
        r"tagung",
        r"messe",
        r"ausstellung",
        r"fand",
        r"conferencia",
        r"foro",
        r"ceremonia",
        r"se celebr",
        r"tuvo lugar",
        r"feria",
        r"konferanse",
        r"seremoni",
        r"ble holdt",
        r"fant sted",
        r"举行",
        r"举办",
        r"召开",
        r"展会",
        r"会议",
        r"博览会",
        r"仪式",
        r"展览",
        r"열린",
        r"개최",
        r"행사",
        r"전시회",
        r"회의",
        r"서명",
        r"체결",
        r"開催",
        r"行われ",
        r"署名",
        r"式典",
        r"展示会",
        r"会議",
        r"調印",
    )  # fmt: skip
)
# "tại X", "in X", "в Ханое": the name right after a locative preposition.
_AT_BEFORE = re.compile(
    r"(?:(?:^|[^\w])"
    + _words(r"tai", r"o", r"in", r"at", r"в", r"во", r"у", r"à", r"a", r"en", r"i", r"на")
    + r"\s*(?:the city of |la ville de |провинции |городе |місті |провінції |tinh |tp\.? |"
    r"thanh pho |thu do |the capital |la capitale )?|在)$"
)
# An address: "trên sân Mỹ Đình, Hà Nội", "at the National Convention Centre, Hanoi".
_ADDRESS = re.compile(
    r"(?:^|[^\w])(?:tai|o|tren|in|at|в|у|à|en|i)\s+[^,.;:!?\n]{2,40},\s*(?:tinh |tp\.? |thanh pho )?$"
)
# Where people came from: "du khách đến từ Hà Nội", "visitors from Hanoi".
_ORIGIN_BEFORE = re.compile(
    _words(
        r"(?:den|toi|ve) tu",
        r"khach tu",
        r"(?:visitors|tourists|guests|delegates|participants|"
        r"people|experts|students) (?:from|of)",
        r"(?:приехавш\w+|гост\w+|туристы) из",
        r"venus? de",
        r"venues? de",
        r"kommen aus",
        r"procedentes de",
    )  # fmt: skip
    + r"\s+(?:tinh |tp\.? |thanh pho |the )?$"
)
_AT_AFTER_CJK = re.compile(r"^\s*(?:市|省)?\s*(?:에서|で)")  # 하노이에서, ハノイで

# A dateline: the name opens a paragraph and a dash follows ("HANOI —", "(Lai Chau) -",
# "Ханой, 19 августа –", "Hà Nội, ngày 5/3 -").
_DATELINE_BEFORE = re.compile(r"(?:^|\n)\s*[(\[]?\s*$")
_DATELINE_AFTER = re.compile(r"^\s*[)\]]?\s*(?:,[^\n.–—-]{1,30})?\s*[-–—:]")

# An organisation named after the place: "Đại học Đà Nẵng", "Trường Đại học Bách khoa Hà
# Nội", "Ngân hàng TMCP ... Hà Nội", "Báo Lâm Đồng", "University of Danang". Matched on the text
# as written: the head is capitalised, and so is the word after it (if any) - "Bộ trưởng Nguyễn
# Văn A đánh giá Hà Nội" is not the organisation "Trường ...".
_UPPER = (
    "".join(chr(c) for c in range(0x41, 0x1F00) if chr(c).isupper() and chr(c).isalpha())
    .replace("]", "")
    .replace("\\", "")
    .replace("^", "")
)
_ORG_BEFORE = re.compile(
    r"(?:^|[^\w])"
    + _words(
        r"Trường",
        r"Đại học",
        r"Học viện",
        r"Ngân hàng",
        r"Công ty",
        r"Tập đoàn",
        r"Tổng công ty",
        r"Bệnh viện",
        r"Cảng",
        r"Sân bay",
        r"Câu lạc bộ",
        r"CLB",
        r"Khách sạn",
        r"Nhà máy",
        r"Viện",
        r"Quỹ",
        r"Đài",
        r"Báo",
        r"Tạp chí",
        r"Đội bóng",
        r"University of",
        r"Bank of",
        r"College of",
        r"Port of",
        r"Université de",
        r"Universidad de",
        r"Университет",
        r"Університет",
        r"Universitetet i",
    )  # fmt: skip
    + r"(?:\s+["
    + _UPPER
    + r"0-9&][^\s,.;:!?()]*"
    r"(?:\s+(?!(?:tại|ở|của|thuộc|trên|với|cho|đã|đang|sẽ|là|được|có|và các|in|at|of the)\s)"
    r"[^\s,.;:!?()]+){0,5})?\s+$"
)
_ORG_AFTER = re.compile(
    r"^\s*(?:'s )?"
    + _words(
        r"university",
        r"bank",
        r"hospital",
        r"airport",
        r"port\b",
        r"company",
        r"corporation",
        r"jsc",
        r"group",
        r"fc\b",
        r"club",
        r"college",
        r"polytechnic",
        r"medical university",
        r"national university",
        r"securities",
        r"stock exchange",
    )  # fmt: skip
)
# An administrative prefix right before the name makes it the province itself, even inside an
# organisation ("Bệnh viện Đa khoa tỉnh Lâm Đồng" is the province's hospital).
_ADMIN_BEFORE = re.compile(
    r"(?:tinh|thanh pho|tp\.?|province of|провинции|провинция|провінції|провінція|provinz|"
    r"provincia de|province de|provinsen|ubnd|uy ban nhan dan)\s*$"
)

# "tỉnh X" / "X province": the province as a body, whose hospital or centre an organisation
# named "... tỉnh Phú Thọ" is (a city name inside "Đại học Quốc gia TP.HCM" is not that).
_PROVINCE_BEFORE = re.compile(
    r"(?:tinh|ubnd|uy ban nhan dan|province of|провинции|провінції|provinz|provincia de|"
    r"province de)\s*$"
)
_PROVINCE_SURFACE = re.compile(r"^(?:tinh|tỉnh)\s|\sprovince$", re.IGNORECASE)

# A ranking or a table: the sentence ranks places against each other.
_RANKING = re.compile(
    _words(
        r"xep hang",
        r"bang xep hang",
        r"dan dau",
        r"dung dau",
        r"dung thu",
        r"dung sau",
        r"tiep theo la",
        r"lan luot la",
        r"\btop\b",
        r"\brank",
        r"ranking",
        r"behind",
        r"followed by",
        r"ahead of",
        r"рейтинг",
        r"заняла? \w+ место",
        r"уступа",
        r"classement",
        r"derrière",
        r"rangliste",
        r"clasificaci[oó]n",
        r"rangering",
        r"排名",
        r"순위",
        r"ランキング",
    )  # fmt: skip
)

# The President, not the city: words around a bare "Hồ Chí Minh" / "Ho Chi Minh".
_PERSON_BEFORE = re.compile(
    _words(
        r"chu tich",
        r"bac",
        r"tu tuong",
        r"dao duc",
        r"phong cach",
        r"tam guong",
        r"lang",
        r"di chuc",
        r"giai thuong",
        r"huan chuong",
        r"hoc vien chinh tri quoc gia",
        r"hoc vien chinh tri khu vuc",
        r"doan thanh nien cong san",
        r"tncs",
        r"tntp",
        r"doi thieu nien tien phong",
        r"duong mon",
        r"bao tang",
        r"nguoi",
        r"cuoc doi",
        r"chan dung",
        r"loi day",
        r"cu",
        r"president",
        r"uncle",
        r"chairman",
        r"late",
        r"président",
        r"president",
        r"präsident",
        r"presidente",
        r"presidenten",
        r"leader",
        r"президент[аеу]?",
        r"президент",
        r"председател[ьяю]",
        r"дядюшк[аи]",
        r"вождь",
    )  # fmt: skip
    + r"\s+$"
)
_PERSON_AFTER = re.compile(
    r"^\s*(?:'s|’s|"
    + _words(
        r"thought",
        r"trail",
        r"mausoleum",
        r"museum",
        r"prize",
        r"award",
        r"ideology",
        r"communist youth union",
        r"national academy",
        r"memorial",
        r"relic",
        r"\(1890",
        r"vi dai",
        r"kinh yeu",
        r"mausolée",
        r"pensée",
        r"pfad",
        r"mausoleum",
        r"主席",
        r"思想",
        r"陵",
        r"주석",
        r"사상",
        r"묘",
        r"主席",
        r"廟",
    )  # fmt: skip
    + r")"
)
# A location word right before a bare person-ambiguous name makes it the city.
_CITY_CUE_BEFORE = re.compile(r"(?:^|[^\w])(?:tai|o|in|at|to|from|en|a|à|i|в|во|у|из|з|до)\s+$")


def classify(
    before: str,
    after: str,
    sentence: str,
    person: bool = False,
    prefixed: bool = False,
    in_title: bool = False,
    raw_before: str = "",
    surface: str = "",
) -> str:
    """The class of one mention from its context: ``before`` and ``after`` are the windows
    right around it and ``sentence`` the sentence it is in (lower-case, folded), ``raw_before``
    the window before it as written."""
    tail = before[-TAIL:]  # the patterns anchored on a word or two before the name
    if person and not prefixed and (_PERSON_BEFORE.search(tail) or _PERSON_AFTER.search(after)):
        return NOT_PROVINCE
    raw_tail = raw_before[-TAIL:]
    if not prefixed and (
        _PLACE_BEFORE_RAW.search(raw_tail)
        or (raw_tail.isascii() and _PLACE_BEFORE_ASCII.search(tail))
        or _PLACE_BEFORE.search(tail)
        or _PLACE_AFTER.search(after)
    ):
        return NOT_PROVINCE
    if not in_title and _DATELINE_BEFORE.search(tail) and _DATELINE_AFTER.search(after):
        return DATELINE
    if _BRIDGE_BEFORE.search(before):
        return BRIDGE
    if _DELEGATION_BEFORE.search(before) or _DELEGATION_AFTER.search(after):
        return DELEGATION
    if _ORIGIN_BEFORE.search(tail):
        return ORIGIN
    province_body = _PROVINCE_SURFACE.search(surface) or _PROVINCE_BEFORE.search(tail)
    if not province_body and (_ORG_BEFORE.search(raw_before) or _ORG_AFTER.search(after)):
        return ORGANISATION
    located = _AT_BEFORE.search(tail) or _AT_AFTER_CJK.search(after) or _ADDRESS.search(before)
    if located and _EVENT.search(sentence):
        return VENUE
    return SUBSTANTIVE


def admin_before(before: str) -> bool:
    """ "tỉnh" / "TP." / "UBND" / "province of" right before the name."""
    return bool(_ADMIN_BEFORE.search(before[-TAIL:]))


def is_ranking(sentence: str) -> bool:
    return bool(_RANKING.search(sentence))


def city_cue(before: str) -> bool:
    """A locative word right before the name ("in Ho Chi Minh", "tại Hồ Chí Minh")."""
    return bool(_CITY_CUE_BEFORE.search(before[-TAIL:]))


# Words that join a list of places: the next name inherits a passing class ("bridge points in
# Lam Dong and Can Tho", "des délégations de Hô Chi Minh-Ville et de Da Nang").
_LIST_JOINER = re.compile(
    r"^\s*(?:,|;|/|và|va|and|et|und|y|og|и|і|та|、|和|及|와|과|와\s|,\s*and|,\s*et)?\s*"
    r"(?:de |d'|du |the |tinh |thanh pho |tp\.? |провинции |провінції |from |of |in |из |з )?$"
)


def joins_list(between: str) -> bool:
    return len(between) <= 30 and bool(_LIST_JOINER.match(between))
