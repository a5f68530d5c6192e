"""Language-independent features (crawler/dedup/features.py)."""

import pytest

from crawler.dedup.features import extract, is_common, parse_number
from tests.dedup.samples import AI_EN, AI_FR, AI_ORIGINAL, AI_RU, SENSORS_EN, SENSORS_VI


def kinds(features: frozenset[str], *prefixes: str) -> set[str]:
    return {f for f in features if f.split(":", 1)[0] in prefixes}


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.200", "1200"), ("1,200", "1200"), ("1200", "1200"), ("1.200.000", "1200000"),
     ("3,5", "3.5"), ("3.5", "3.5"), ("1.200.000,5", "1200000.5"), ("1,200,000.5", "1200000.5"),
     ("0,125", "0.125"), ("12,80", "12.8")],
)  # fmt: skip
def test_parse_number(text: str, value: str) -> None:
    assert str(parse_number(text).normalize()) == str(parse_number(value).normalize())


@pytest.mark.parametrize(
    ("text", "lang"),
    [("1.200 người", "vi"), ("1,200 people", "en"), ("1 200 personnes", "fr"),
     ("1\u202f200 personnes", "fr"), ("1 200 человек", "ru"), ("1200 people", "en")],
)  # fmt: skip
def test_numbers_across_conventions(text: str, lang: str) -> None:
    assert kinds(extract([text], lang), "n") == {"n:1200"}


def test_a_plain_space_separates_numbers_in_vietnamese() -> None:
    assert kinds(extract(["năm 2026 có 200 doanh nghiệp"], "vi"), "n") == {"n:2026", "n:200"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("tăng 12,5%", "vi"), ("up 12.5%", "en"), ("12,5 % de plus", "fr"), ("на 12,5 процента", "ru"),
     ("12,5 phần trăm", "vi"), ("12.5 percent", "en"), ("增长12.5%", "zh")],
)  # fmt: skip
def test_percentages(text: str, lang: str) -> None:
    assert kinds(extract([text], lang), "pct", "n") == {"pct:12.5"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("1.200 tỷ đồng", "vi"), ("1,2 nghìn tỷ đồng", "vi"), ("VND 1.2 trillion", "en"),
     ("VND1,200 billion", "en"), ("1 200 milliards de dongs", "fr"), ("1,2 billion de dongs", "fr"),
     ("1 200 млрд донгов", "ru"), ("1.2万亿越南盾", "zh"), ("1,2 Billionen Dong", "de")],
)  # fmt: skip
def test_amounts_with_magnitude_words(text: str, lang: str) -> None:
    assert kinds(extract([text], lang), "n") == {"n:1200000000000"}


def test_magnitude_word_must_follow_the_number() -> None:
    # "ngân hàng" (bank) and "công ty" (company) are not thousands or billions
    assert kinds(extract(["5 ngân hàng và 3 công ty"], "vi"), "n") == {"n:5", "n:3"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ngày 05/09/2026", "vi"), ("ngày 5/9/2026", "vi"), ("ngày 5 tháng 9 năm 2026", "vi"),
     ("sáng 5/9", "vi"), ("2026-09-05", "en"), ("05.09.2026", "de"), ("on 5 September 2026", "en"),
     ("on September 5, 2026", "en"), ("on Sept. 5", "en"), ("5 сентября 2026 года", "ru"),
     ("5 вересня 2026 року", "uk"), ("le 5 septembre 2026", "fr"), ("5 de septiembre de 2026", "es"),
     ("am 5. September 2026", "de"), ("5. september 2026", "no"), ("2026年9月5日", "zh"),
     ("2026년 9월 5일", "ko"), ("9月5日", "ja")],
)  # fmt: skip
def test_dates_in_any_format_and_language(text: str, lang: str) -> None:
    assert kinds(extract([text], lang), "d", "n", "ym") == {"d:09-05"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("trong tháng 12/2026", "vi"), ("tháng 12 năm 2026", "vi"), ("in December 2026", "en"),
     ("в декабре 2026 года", "ru"), ("en décembre 2026", "fr"), ("2026年12月", "zh")],
)  # fmt: skip
def test_months_of_a_year(text: str, lang: str) -> None:
    assert kinds(extract([text], lang), "ym", "n", "d") == {"ym:2026-12"}


@pytest.mark.parametrize(
    ("text", "doc"),
    [("Nghị quyết 57-NQ/TW", "doc:57-nq/tw"), ("Quyết định 1131/QĐ-TTg", "doc:1131/qd-ttg"),
     ("Decision No. 1131/QD-TTg", "doc:1131/qd-ttg"), ("Nghị quyết 40/2026/NQ-CP", "doc:40/2026/nq-cp"),
     ("Luật số 93/2025/QH15", "doc:93/2025/qh15"), ("第1131/QĐ-TTg号决定", "doc:1131/qd-ttg")],
)  # fmt: skip
def test_document_numbers_are_whole(text: str, doc: str) -> None:
    assert kinds(extract([text], None), "doc", "n", "d", "ym") == {doc}


def test_a_hyphenated_word_is_not_a_document_number() -> None:
    assert not kinds(extract(["a 5-Star hotel"], "en"), "doc")


@pytest.mark.parametrize(
    "text",
    ["Xem tại https://www.dichvucong.gov.vn/p/home/.", "See dichvucong.gov.vn/p/home.",
     "Truy cập http://dichvucong.gov.vn/p/home#top"],
)  # fmt: skip
def test_urls(text: str) -> None:
    assert kinds(extract([text], None), "url") == {"url:dichvucong.gov.vn/p/home"}


def test_latin_names_after_folding() -> None:
    vi = extract(["Bộ trưởng Nguyễn Mạnh Hùng phát biểu"], "vi")
    en = extract(["Minister Nguyen Manh Hung said"], "en")
    assert {"nm:nguyen manh", "nm:manh hung"} <= kinds(vi, "nm") & kinds(en, "nm")


def test_names_are_pairs_of_capitalised_words() -> None:
    found = kinds(
        extract(["Viettel và FPT ký kết tại Hà Nội; ông Phạm Văn Tuấn phát biểu."], "vi"), "nm"
    )
    assert found == {"nm:ha noi", "nm:pham van", "nm:van tuan"}


@pytest.mark.parametrize("translation", [AI_EN, AI_RU, AI_FR], ids=lambda d: d.lang)
def test_a_translation_keeps_the_facts(translation) -> None:  # noqa: ANN001
    facts = ("d", "n", "pct", "doc", "url", "ym")
    original = extract([AI_ORIGINAL.title, AI_ORIGINAL.summary, AI_ORIGINAL.text], AI_ORIGINAL.lang)
    copy = extract([translation.title, translation.summary, translation.text], translation.lang)
    assert kinds(copy, *facts) == kinds(original, *facts)


def test_english_translation_keeps_the_facts_and_names() -> None:
    original = extract([SENSORS_VI.title, SENSORS_VI.summary, SENSORS_VI.text], "vi")
    copy = extract([SENSORS_EN.title, SENSORS_EN.summary, SENSORS_EN.text], "en")
    assert {
        "n:86500000000",
        "n:52000000000",
        "n:1150",
        "pct:7.5",
        "n:65000",
        "url:nongnghiep.lamdong.gov.vn",
    } <= original & copy
    assert {"nm:pham van", "nm:van tuan", "nm:bao loc", "nm:di linh"} <= original & copy


@pytest.mark.parametrize(
    ("feature", "common"),
    [("n:2026", True), ("n:25", True), ("n:100", True), ("n:1200000000000", True), ("pct:30", True),
     ("d:09-05", True), ("ym:2026-12", True), ("nm:manh hung", True),
     ("doc:57-nq/tw", False), ("url:data.gov.vn", False), ("n:1250", False), ("n:12.8", False),
     ("pct:12.5", False), ("n:86500000000", False)],
)  # fmt: skip
def test_common_features_are_not_keys(feature: str, common: bool) -> None:
    assert is_common(feature) is common
