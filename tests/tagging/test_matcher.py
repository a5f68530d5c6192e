"""The matcher finds province names as written in every script the editions use, and only
province names: false friends, lower-case words, parts of longer words are not hits."""

from __future__ import annotations

import pytest

from crawler.tagging.matcher import cyrillic_inflections, load_matcher


def found(text: str, folded: bool = False) -> list[tuple[str, str | None]]:
    """(surface, slug) of every hit, false friends included (slug None)."""
    return [(hit.surface, hit.slug) for hit in load_matcher().find(text, folded=folded)]


def slugs(text: str, folded: bool = False) -> list[str]:
    return [slug for _, slug in found(text, folded) if slug]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tỉnh Lâm Đồng triển khai", "lam-dong"),
        ("UBND tỉnh Lai Châu", "lai-chau"),
        ("Khánh Hòa và", "khanh-hoa"),
        ("Khánh Hoà và", "khanh-hoa"),  # the other tone-mark placement
        ("tỉnh Thanh Hoá", "thanh-hoa"),
        ("ở Đắk Lắk", "dak-lak"),
        ("ở Đăk Lăk", "dak-lak"),
        ("ở Daklak", "dak-lak"),
        ("TP.HCM khởi động", "ho-chi-minh"),
        ("TPHCM khởi động", "ho-chi-minh"),
        ("Thành phố Hồ Chí Minh có", "ho-chi-minh"),
        ("Sài Gòn hôm nay", "ho-chi-minh"),
        ("tỉnh Bắc Cạn cũ", "thai-nguyen"),
        ("tỉnh Kon Tum cũ", "quang-ngai"),
        ("Bà Rịa - Vũng Tàu cũ", "ho-chi-minh"),
        ("Bà Rịa-Vũng Tàu cũ", "ho-chi-minh"),
        ("Thừa Thiên Huế", "hue"),
        ("#LâmĐồng", "lam-dong"),
        ("nông dân Đà Lạt", "lam-dong"),  # a city in the unit
    ],
)
def test_vietnamese_names_and_spellings(text: str, slug: str) -> None:
    assert slugs(text) == [slug]


def test_all_caps_titles_match() -> None:
    assert slugs("LAI CHÂU ĐƯA NỀN TẢNG SỐ VÀO VẬN HÀNH") == ["lai-chau"]
    assert slugs("HANOI — The ministry", folded=True) == ["ha-noi"]


@pytest.mark.parametrize(
    "text",
    [
        "Khát vọng hòa bình của nhân dân",  # peace
        "Hòa bình là nền tảng",  # sentence-initial: "bình" stays lower-case
        "an ninh khu vực Thái Bình Dương",  # the Pacific
        "THÁI BÌNH DƯƠNG",
        "Viện Hải dương học công bố",  # oceanography
        "nghiên cứu hải dương học",
        "kinh tế hải dương",  # the ocean
        "chiến thắng Điện Biên Phủ",  # the battle
        "the hue of the lotus",  # English colour word
        "cao bằng nhà ba tầng",  # "as tall as"
        "Hanoians",  # part of a longer word
        "HNX",
    ],
)
def test_false_friends_are_not_provinces(text: str) -> None:
    assert slugs(text) == []
    assert slugs(text, folded=True) == []


def test_false_friend_keys_win_over_the_shorter_name() -> None:
    assert found("vùng Thái Bình Dương") == [("Thái Bình Dương", None)]
    assert found("Viện Hải dương học") == [("Hải dương học", None)]
    # the city form of Điện Biên Phủ is Điện Biên
    assert slugs("thành phố Điện Biên Phủ") == ["dien-bien"]


def test_unaccented_text_is_found_and_accented_keys_do_not_overreach() -> None:
    assert slugs("Tinh Lam Dong trien khai he thong") == ["lam-dong"]
    assert slugs("Thai Nguyen province", folded=True) == ["thai-nguyen"]
    # exact search: an unaccented key does not match accented text of another name
    assert slugs("Hà Nam và Hà Nội") == ["ninh-binh", "ha-noi"]
    # folded search finds partly accented renderings of machine translations
    assert slugs("province de Lâm Dong", folded=True) == ["lam-dong"]
    assert slugs("Hanoï et Hô Chi Minh-Ville", folded=True) == ["ha-noi", "ho-chi-minh"]
    assert slugs("Hué, ancienne capitale", folded=True) == ["hue"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("в провинции Лайтяу", "lai-chau"),
        ("в Ханое открылся", "ha-noi"),
        ("власти Ханоя", "ha-noi"),
        ("в Дананге", "da-nang"),
        ("в Дакнонге испытывают", "lam-dong"),
        ("городе Хошимине", "ho-chi-minh"),
        ("провинция Тхай Нгуен", "thai-nguyen"),
        ("Тхайнгуен обучает", "thai-nguyen"),
        ("Бакзянг внедряет", "bac-ninh"),
        ("провінції Тхайнгуєн", "thai-nguyen"),  # Ukrainian є
        ("Тхайнгуєна", "thai-nguyen"),
        ("у місті Хошимін", "ho-chi-minh"),
        ("влада Хошиміна", "ho-chi-minh"),
        ("в Ханої", "ha-noi"),
        ("провінції Баккан", "thai-nguyen"),
        ("Лай Чау", "lai-chau"),  # letter-by-letter rendering of a machine translation
    ],
)
def test_cyrillic_with_case_endings(text: str, slug: str) -> None:
    assert slugs(text, folded=True) == [slug]


def test_cyrillic_needs_word_boundaries() -> None:
    assert slugs("Ханойский университет", folded=True) == []  # an adjective, lower-case ending
    assert slugs("Ханоям", folded=True) == []  # no such case form
    assert slugs("Хо Ши Мин", folded=True) == []  # the President, spaced


def test_inflections() -> None:
    assert "Ханоя" in cyrillic_inflections("Ханой")
    assert "Дананге" in cyrillic_inflections("Дананг")
    assert "Ниньбине" in cyrillic_inflections("Ниньбинь")
    assert cyrillic_inflections("Лайтяу") == []  # ends in a vowel: does not decline
    assert cyrillic_inflections("Кханьхоа") == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("胡志明市推出数字政务应用程序", "ho-chi-minh"),
        ("在河内举行的展览", "ha-noi"),
        ("林同省花卉节", "lam-dong"),
        ("大叻花卉节", "lam-dong"),  # Đà Lạt, a city in the unit
        ("峴港市", "da-nang"),  # traditional characters
        ("하노이에서 열린", "ha-noi"),  # a particle follows
        ("럼동성, 농업 데이터", "lam-dong"),
        ("호찌민시에도", "ho-chi-minh"),
        ("ハノイで署名", "ha-noi"),
        ("ホーチミン市、日本企業と", "ho-chi-minh"),
    ],
)
def test_cjk(text: str, slug: str) -> None:
    assert slugs(text, folded=True) == [slug]


def test_cjk_false_friends_and_boundaries() -> None:
    assert slugs("太平洋地区", folded=True) == []  # the Pacific
    assert slugs("世界和平", folded=True) == []  # peace: only 和平省 is Hòa Bình
    assert slugs("カフェ", folded=True) == []
    assert slugs("그 후에 발표", folded=True) == []  # "after that", not Huế


def test_hits_do_not_overlap_and_keep_the_longest() -> None:
    hits = load_matcher().find("Bà Rịa - Vũng Tàu và Vũng Tàu")
    assert [h.surface for h in hits] == ["Bà Rịa - Vũng Tàu", "Vũng Tàu"]
    hit = load_matcher().find("UBND tỉnh Bình Dương")[0]
    assert (hit.surface, hit.info.prefixed, hit.info.old_name) == (
        "tỉnh Bình Dương",
        True,
        "Bình Dương",
    )


def test_person_names_are_flagged_for_context() -> None:
    bare = load_matcher().find("tư tưởng Hồ Chí Minh")[0]
    city = load_matcher().find("TP. Hồ Chí Minh")[0]
    assert bare.info.person and not bare.info.prefixed
    assert city.info.prefixed
