"""Topic tagging: the taxonomy file's shape, multi-label topics with the title weighing more,
case-sensitive acronyms, Vietnamese false friends, relevance of off-topic articles, and the
translated editions (en, ru, uk, fr, de, es, no, zh, ko). The article texts are our own."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from crawler.tagging import topics as T
from crawler.tagging.topics import (
    Topic,
    canonical,
    load_taxonomy,
    load_topics,
    phrase_key,
    phrase_tokens,
    tag_topics,
    tokens,
)

DATA = Path(T.__file__).resolve().parent / "data" / "topics.json"
SPEC_SLUGS = [
    "science-technology", "innovation", "digital-transformation", "resolution-57", "ai",
    "semiconductors", "data", "digital-government", "digital-identity", "telecom",
    "data-centres-cloud", "startups", "intellectual-property", "digital-economy", "cybersecurity",
    "human-resources", "smart-city-iot", "emerging-tech", "standards-quality",
]  # fmt: skip
MAIN_TOPICS = [
    "science-technology", "innovation", "digital-transformation", "ai", "semiconductors",
    "digital-government", "telecom", "startups", "cybersecurity", "digital-economy",
]  # fmt: skip

# A neutral paragraph that names no topic: padding for "long body" cases.
FILLER = (
    "Buổi làm việc diễn ra trong không khí cởi mở, các đại biểu trao đổi nhiều ý kiến về "
    "kế hoạch của năm tới và những việc cần làm ngay trong quý này. "
)


def topics(title: str, text: str = "", lang: str | None = "vi") -> list[str]:
    return tag_topics(title, text, lang).topics


# --- the taxonomy file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def test_taxonomy_has_exactly_the_spec_slugs_with_labels(raw) -> None:  # noqa: ANN001
    assert [t["slug"] for t in raw["topics"]] == SPEC_SLUGS
    for topic in raw["topics"]:
        assert topic["label_vi"].strip() and topic["label_en"].strip(), topic["slug"]
        assert topic["keywords"]["vi"] and topic["keywords"]["en"], topic["slug"]
    assert raw["_changes"], "fixes to the reference taxonomy are explained in the file"


def test_main_topics_have_keywords_for_the_translated_editions(raw) -> None:  # noqa: ANN001
    by_slug = {t["slug"]: t for t in raw["topics"]}
    for slug in MAIN_TOPICS:
        for lang in ("ru", "uk", "fr"):
            assert by_slug[slug]["keywords"].get(lang), (slug, lang)


def test_no_phrase_belongs_to_two_topics_unless_listed_as_shared(raw) -> None:  # noqa: ANN001
    cs = raw.get("case_sensitive_tokens", [])
    shared = {phrase_key(p, cs) for p in raw["shared_keywords"]}
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for topic in raw["topics"]:
        for group in ("keywords", "weak"):
            for phrases in topic.get(group, {}).values():
                for phrase in phrases:
                    assert phrase_tokens(phrase) or T._HAS_CJK.search(phrase), phrase
                    owners[phrase_key(phrase, cs)].add(topic["slug"])
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and k not in shared}
    assert not clashes
    # ...and every listed shared phrase is really in two topics (the list stays honest).
    assert all(len(owners[key]) > 1 for key in shared)


def test_load_topics_lists_slugs_and_labels_and_is_cached() -> None:
    listed = load_topics()
    assert [t.slug for t in listed] == SPEC_SLUGS
    assert listed[SPEC_SLUGS.index("ai")] == Topic(
        "ai", "Trí tuệ nhân tạo", "Artificial intelligence"
    )
    assert load_taxonomy() is load_taxonomy()


def test_a_bad_taxonomy_file_is_refused(tmp_path: Path) -> None:
    good = {
        "slug": "ai",
        "label_vi": "TTNT",
        "label_en": "AI",
        "keywords": {"vi": ["AI"], "en": ["AI"]},
    }
    for broken, message in [
        ({**good, "slug": "Artificial_Intelligence"}, "kebab-case"),
        ({**good, "keywords": {"vi": ["AI"]}}, "English"),
        ({**good, "keywords": {"vi": ["AI"], "en": ["AI"], "xx": ["a"]}}, "language"),
    ]:
        path = tmp_path / f"{message}.json"
        path.write_text(json.dumps({"languages": ["vi", "en"], "topics": [broken]}), "utf-8")
        with pytest.raises(ValueError, match=message):
            load_taxonomy(path)


def test_another_taxonomy_file_can_be_used(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text(
        json.dumps(
            {
                "languages": ["vi", "en"],
                "topics": [
                    {
                        "slug": "space",
                        "label_vi": "Vũ trụ",
                        "label_en": "Space",
                        "keywords": {"vi": ["vệ tinh"], "en": ["satellite"]},
                    }
                ],
            }  # fmt: skip
        ),
        "utf-8",
    )
    result = tag_topics("Phóng vệ tinh quan sát", "", "vi", taxonomy=load_taxonomy(path))
    assert result.topics == ["space"] and result.relevant


# --- normalisation ----------------------------------------------------------------------------


def test_text_and_phrases_are_split_alike() -> None:
    assert tokens("KH&CN, 57-NQ/TW và l'intelligence") == [
        "KH", "CN", "57", "NQ", "TW", "và", "l", "intelligence",
    ]  # fmt: skip
    assert tokens("Nghị quyết 57-NQ/TW") == phrase_tokens("Nghị quyết 57-NQ/TW")
    # a sentence end is a token of its own; a CJK run is apart from Latin letters
    assert tokens("Xong. Tiếp; IT人材") == ["Xong", "_", "Tiếp", "_", "IT", "人材"]
    assert phrase_tokens("цифров[оаыуе]* трансформац*") == ["цифров[оаыуе]*", "трансформац*"]


def test_phrases_do_not_span_sentences() -> None:
    # "nền tảng số" (digital platform) must not be read across "...nền tảng. Số người..."
    assert topics("Tin vắn", "Xã xây xong nền tảng. Số người tới dự tăng. " * 3) == []
    assert topics("Tin vắn", "Xã xây xong nền tảng số cho người dân. " * 3) == [
        "digital-transformation"
    ]


def test_stems_with_listed_letters_keep_words_apart() -> None:
    # цифров[оаыуе]* is цифровой / цифровая..., not цифровизация: "цифровизация экономики"
    # is digital transformation, not the digital economy.
    result = tag_topics("Новости", "Цифровизация экономики идёт быстро. " * 2, "ru")
    assert result.topics == ["digital-transformation"]
    assert "digital-economy" not in result.scores


def test_tone_mark_placement_and_y_spelling_do_not_matter() -> None:
    assert canonical("Hòa") == canonical("hoà")
    assert canonical("thủy") == canonical("thuỷ")
    assert canonical("kỹ") == canonical("kĩ")
    assert canonical("hòa") != canonical("hóa")  # a different tone is a different word
    assert (
        topics("Đẩy mạnh số hoá hồ sơ")
        == topics("Đẩy mạnh số hóa hồ sơ")
        == ["digital-transformation"]
    )
    assert "human-resources" in topics("Phổ cập kĩ năng số cho người dân")


def test_decomposed_unicode_is_matched_like_composed() -> None:
    import unicodedata

    title = unicodedata.normalize("NFD", "Ứng dụng trí tuệ nhân tạo trong y tế")
    assert topics(title) == ["ai"]


# --- scoring ----------------------------------------------------------------------------------


def test_multi_label_best_first() -> None:
    result = tag_topics(
        "Đào tạo nhân lực công nghệ cho ngành bán dẫn và trí tuệ nhân tạo",
        "Chương trình đào tạo 5.000 kỹ sư thiết kế vi mạch. Các kỹ sư cũng học trí tuệ nhân tạo "
        "để ứng dụng AI vào kiểm thử chip.",
        "vi",
    )
    assert set(result.topics) == {"semiconductors", "ai", "human-resources"}
    ordered = [result.scores[t] for t in result.topics]
    assert ordered == sorted(ordered, reverse=True)
    assert result.relevant


def test_title_weighs_more_than_body() -> None:
    once_in_title = tag_topics("Hà Nội phát triển khởi nghiệp", FILLER, "vi")
    once_in_body = tag_topics("Tin trong ngày", FILLER + "Thành phố hỗ trợ khởi nghiệp.", "vi")
    assert once_in_title.topics == ["startups"]
    assert once_in_body.topics == []
    assert once_in_title.scores["startups"] == T.TITLE_WEIGHT * once_in_body.scores["startups"]


def test_a_single_passing_keyword_in_a_long_body_is_not_a_topic() -> None:
    text = FILLER * 20 + "Một số xã đã có cán bộ phụ trách chuyển đổi số. " + FILLER * 20
    result = tag_topics("Hội nghị tổng kết công tác năm", text, "vi")
    assert result.topics == [] and not result.relevant
    twice = text + "Xã sẽ tiếp tục thúc đẩy chuyển đổi số trong năm tới."
    assert tag_topics("Hội nghị tổng kết công tác năm", twice, "vi").topics == [
        "digital-transformation"
    ]


def test_repeats_in_the_body_are_capped() -> None:
    text = "Hội thảo về blockchain. " * 10
    score = tag_topics("Tin công nghệ", text, "vi").scores["emerging-tech"]
    assert score == T.BODY_REPEAT_CAP * T.BODY_WEIGHT


def test_weak_keywords_alone_make_no_topic() -> None:
    # "công nghệ", "đào tạo", "Viettel" are weak: many of them still make no topic.
    text = "Công nghệ mới, công nghệ cũ, công nghệ nào cũng được đào tạo, đào tạo và đào tạo. "
    result = tag_topics("Công nghệ và đào tạo ở Viettel", text * 3, "vi")
    assert result.topics == [] and not result.relevant
    assert result.scores  # they did score, below the bar


def test_the_longer_phrase_wins_an_overlap() -> None:
    # "số hóa đơn điện tử" is "the number of e-invoices", not digitisation.
    result = tag_topics("Số hóa đơn điện tử tăng mạnh", "", "vi")
    assert result.topics == ["digital-economy"]
    assert "digital-transformation" not in result.scores


# --- acronyms and false friends ---------------------------------------------------------------


def test_ai_acronym_is_case_sensitive() -> None:
    assert topics("Doanh nghiệp Việt ứng dụng AI vào chăm sóc khách hàng") == ["ai"]
    assert topics("Ai sẽ giúp nông dân tiêu thụ nông sản?", "Ai cũng hỏi: ai mua, ai bán?") == []
    assert topics("Giải bóng chuyền: đội nào mạnh, ai vô địch") == []


def test_acronyms_are_ignored_in_a_title_written_in_capitals() -> None:
    # In capitals "AI" may well be the word "ai" (who); the words still count.
    assert topics("AI LÀ NGƯỜI ĐỨNG SAU CHIẾN THẮNG CỦA ĐỘI TUYỂN?") == []
    assert topics("ỨNG DỤNG TRÍ TUỆ NHÂN TẠO TRONG Y TẾ") == ["ai"]


@pytest.mark.parametrize(
    ("acronym_title", "lower_title"),
    [
        ("Tỉnh đẩy mạnh CĐS trong trường học", "Các cds trong trường học"),
        ("Triển khai mạng 5G tại khu công nghiệp", "Khu nhà 5g tại khu công nghiệp"),
        ("Diễn tập bảo đảm ATTT cho hệ thống của tỉnh", "Attt bảo đảm cho hệ thống của tỉnh"),
        ("Hội thảo về SHTT cho doanh nghiệp", "Hội thảo về shtt cho doanh nghiệp"),
        ("Ứng dụng IoT trong nuôi tôm", "Ứng dụng iot trong nuôi tôm"),
    ],
)
def test_short_acronyms_match_only_in_capitals(acronym_title: str, lower_title: str) -> None:
    assert topics(acronym_title), acronym_title
    assert topics(lower_title) == [], lower_title


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # "số" alone is "number": a shirt number is not digital anything
        ("Tiền đạo khoác áo số 10 lập cú đúp", "Cầu thủ mang áo số 10 ghi hai bàn ở hiệp hai."),
        # "mạng" alone is "life" or "network"
        ("Cứu sống nhiều mạng người trong vụ cháy", "Lực lượng cứu hộ đã cứu mạng 12 người."),
        # a teacher's "sáng kiến kinh nghiệm" is not innovation
        ("Giáo viên viết sáng kiến kinh nghiệm", "Mỗi giáo viên nộp một sáng kiến kinh nghiệm."),
        # a satellite town and the Olympic committee
        ("Quy hoạch đô thị vệ tinh phía Tây", "Đô thị vệ tinh sẽ có thêm trường học."),
        ("IOC công bố lịch thi đấu Olympic", "IOC cho biết lễ khai mạc diễn ra vào tháng 7."),
        # a festival's lighting technology, once
        (
            "Lễ hội hoa đăng trên sông Hương",
            "Ban tổ chức dùng công nghệ ánh sáng mới cho sân khấu. Hàng nghìn du khách thả hoa đăng.",
        ),
    ],
)
def test_false_friends_make_no_topic(title: str, text: str) -> None:
    result = tag_topics(title, text, "vi")
    assert result.topics == [] and not result.relevant


# --- relevance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Đội tuyển bóng đá nữ giành huy chương vàng",
            "Trận chung kết diễn ra kịch tính, thủ môn cản phá hai quả phạt đền. Cổ động viên "
            "xuống đường mừng chiến thắng đến khuya.",
        ),
        (
            "Mưa lớn kéo dài ở các tỉnh miền núi phía Bắc",
            "Đài khí tượng dự báo mưa còn kéo dài đến cuối tuần, nguy cơ lũ quét và sạt lở đất. "
            "Người dân được khuyến cáo không đi qua ngầm tràn.",
        ),
        (
            "Nông dân thu hoạch lúa hè thu được giá",
            "Năng suất đạt 6,5 tấn mỗi ha, thương lái đến tận ruộng thu mua. Nhiều hộ tranh thủ "
            "làm đất gieo vụ mới.",
        ),
        (
            "Đại hội đại biểu Đảng bộ xã nhiệm kỳ 2025-2030",
            "Đại hội bầu ban chấp hành gồm 15 đồng chí. Nghị quyết đề ra mục tiêu phát triển kinh "
            "tế, trong đó có nhắc tới khoa học, công nghệ như một động lực. " + FILLER * 3,
        ),
        (
            "Tai nạn giao thông trên quốc lộ 1",
            "Xe tải va chạm với xe khách lúc rạng sáng, hai người bị thương nhẹ. Cảnh sát giao "
            "thông đang điều tra nguyên nhân.",
        ),
    ],
)
def test_off_topic_articles_are_irrelevant(title: str, text: str) -> None:
    result = tag_topics(title, text, "vi")
    assert not result.relevant and result.topics == []


def test_relevant_articles_have_a_topic() -> None:
    result = tag_topics(
        "Lai Châu đưa 95% thủ tục lên dịch vụ công trực tuyến",
        "Người dân nộp hồ sơ trực tuyến và ký bằng chữ ký số. Tỉnh tiếp tục đẩy mạnh chuyển "
        "đổi số ở cấp xã, tăng tỷ lệ dịch vụ công trực tuyến toàn trình.",
        "vi",
    )
    assert result.relevant and result.topics[0] == "digital-government"


# --- Vietnamese without diacritics, and other languages ---------------------------------------


def test_unaccented_vietnamese_text() -> None:
    result = tag_topics(
        "Lam Dong day manh chuyen doi so trong nong nghiep",
        "Tinh Lam Dong ung dung tri tue nhan tao va du lieu lon de du bao sau benh tren cay ca phe, "
        "dong thoi xay dung co so du lieu vung trong. Mo hinh tri tue nhan tao do mot doanh "
        "nghiep trong tinh phat trien.",
        "vi",
    )
    assert result.topics[0] == "digital-transformation"
    assert {"ai", "data"} <= set(result.topics)
    # A short unaccented phrase counts here, where the whole text has no diacritics...
    assert tag_topics("Tin nong nghiep", "Tinh day manh so hoa. " * 4, "vi").topics == [
        "digital-transformation"
    ]


def test_long_phrases_match_unaccented_inside_an_accented_text() -> None:
    text = "Bài viết gốc có tiêu đề không dấu: thuc day chuyen doi so quoc gia. Người đọc chia sẻ."
    assert tag_topics("Tin tổng hợp", text * 2, "vi").topics == ["digital-transformation"]
    # ...but short phrases do not: "so hoa" could be many words without its accents
    assert tag_topics("Tin tổng hợp", "Ghi chú: so hoa. " * 3, "vi").topics == []


def test_english_text() -> None:
    result = tag_topics(
        "Da Nang opens a semiconductor design centre",
        "The centre will train chip designers and host research and development labs. "
        "Semiconductor firms from Japan and Korea have signed up.",
        "en",
    )
    assert result.topics[0] == "semiconductors"
    assert (
        tag_topics("Who will win the cup?", "Ai is a common name; ai means who.", "en").topics == []
    )


def test_russian_text_with_inflections() -> None:
    result = tag_topics(
        "Провинция Ламдонг ускоряет цифровую трансформацию",
        "Власти провинции внедряют искусственный интеллект в сельском хозяйстве. Системы "
        "искусственного интеллекта помогают фермерам, а цифровая трансформация охватывает "
        "все сферы.",
        "ru",
    )
    assert result.topics == ["digital-transformation", "ai"]


def test_ukrainian_text() -> None:
    result = tag_topics(
        "Хошимін відкриває центр кібербезпеки",
        "Центр захищатиме державні системи від кібератак і навчатиме фахівців з кібербезпеки.",
        "uk",
    )
    assert result.topics == ["cybersecurity"]


def test_french_text() -> None:
    result = tag_topics(
        "Hanoï mise sur l'intelligence artificielle",
        "La ville soutient les start-up qui développent l’intelligence artificielle pour la santé "
        "et l'éducation.",
        "fr",
    )
    assert result.topics[0] == "ai"


def test_german_spanish_norwegian_texts() -> None:
    assert "semiconductors" in topics(
        "Vietnam baut Halbleiterindustrie aus", "Halbleiter-Fabriken entstehen im Norden.", "de"
    )
    assert topics("Ciudad Ho Chi Minh impulsa la transformación digital", "", "es") == [
        "digital-transformation"
    ]
    assert topics("Lam Dong satser på kunstig intelligens", "", "nb") == ["ai"]


def test_chinese_and_korean_texts() -> None:
    assert topics("胡志明市推进数字化转型", "该市发布数字化转型计划。", "zh") == [
        "digital-transformation"
    ]
    assert (
        topics("하노이, 반도체 인재 양성", "반도체 설계 교육을 시작했다.", "ko")[0]
        == "semiconductors"
    )


def test_language_codes_are_normalised() -> None:
    text = "Цифровая трансформация и цифровизация экономики."
    assert topics("Новости", text, "ru-RU") == topics("Новости", text, "ru") != []
    # An unknown language code uses every phrase.
    assert topics("Новости", text, None) == topics("Новости", text, "ru")


def test_phrases_of_one_language_do_not_fire_in_another() -> None:
    # Ukrainian "робота" is "work"; the Russian stem for robots must not read it as robots.
    text = "Робота центру триває. Робота йде добре. Робота завершена."
    assert "emerging-tech" not in tag_topics("Новини", text, "uk").scores
