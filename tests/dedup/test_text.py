"""Dedup text normalization (crawler/dedup/text.py)."""

import unicodedata

import pytest

from crawler.dedup.text import (
    clean_paragraphs,
    fold,
    is_byline,
    normalized_text,
    strip_prefix,
    tokens,
)

BODY = (
    "Bộ Khoa học và Công nghệ vừa công bố 25 nhiệm vụ trọng điểm về trí tuệ nhân tạo.\n\n"
    "Mỗi nhiệm vụ được thực hiện tối đa 36 tháng, với cơ chế khoán chi đến sản phẩm cuối cùng."
)


def test_fold_removes_vietnamese_accents_and_case() -> None:
    assert fold("Đổi Mới Sáng Tạo") == "doi moi sang tao"
    assert fold("ĐẠI HỘI") == "dai hoi"


def test_fold_is_the_same_for_decomposed_text() -> None:
    text = "Chuyển đổi số quốc gia"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_fold_other_scripts() -> None:
    assert fold("Искусственный ИНТЕЛЛЕКТ") == fold("искусственныи интеллект")
    assert fold("Réseau") == "reseau"
    assert fold("인공지능") == "인공지능"  # Hangul syllables survive the round trip


def test_tokens_collapse_punctuation_and_spacing() -> None:
    assert tokens("  Trí tuệ — nhân tạo!!  (AI), 4.0 ") == [
        "tri",
        "tue",
        "nhan",
        "tao",
        "ai",
        "4",
        "0",
    ]


def test_tokens_split_unspaced_scripts_into_characters() -> None:
    assert tokens("人工智能 AI") == ["人", "工", "智", "能", "ai"]


@pytest.mark.parametrize(
    "lead",
    [
        "(Chinhphu.vn) - Chính phủ ban hành nghị định mới.",
        "TCCS - Chính phủ ban hành nghị định mới.",
        "Communist Review - Chính phủ ban hành nghị định mới.",
        "HÀ NỘI - Chính phủ ban hành nghị định mới.",
        "(Chinhphu.vn) - HÀ NỘI – Chính phủ ban hành nghị định mới.",
    ],
)
def test_outlet_prefixes_and_datelines_removed(lead: str) -> None:
    assert strip_prefix(lead) == "Chính phủ ban hành nghị định mới."


@pytest.mark.parametrize(
    "lead",
    [
        "Theo kế hoạch, giai đoạn 2026 - 2030 tỉnh đầu tư mạnh cho hạ tầng số.",
        "Năm 2026 - năm bản lề của chuyển đổi số.",
        "Một câu bình thường không có dấu gạch nối.",
        "Bộ trưởng nhấn mạnh: chuyển đổi số là nhiệm vụ - động lực hàng đầu của đất nước.",
    ],
)
def test_sentences_are_not_prefixes(lead: str) -> None:
    assert strip_prefix(lead) == lead


@pytest.mark.parametrize(
    "line",
    ["Minh Anh", "Thu Hằng - Ngọc Lan (TTXVN)", "Bài và ảnh: Hoàng Hà", "By Minh Anh",
     "Phòng Truyền thông", "Phóng viên: Lê Minh", "PV", "Nguyễn Văn An/Báo Lâm Đồng"],
)  # fmt: skip
def test_bylines(line: str) -> None:
    assert is_byline(line)


@pytest.mark.parametrize(
    "line",
    ["Hội nghị kết thúc lúc 17 giờ cùng ngày.", "tỉnh sẽ tiếp tục triển khai",
     "Ai sẽ được hưởng lợi?", "Theo kế hoạch, tỉnh sẽ mở rộng mô hình ra toàn bộ các huyện."],
)  # fmt: skip
def test_not_bylines(line: str) -> None:
    assert not is_byline(line)


@pytest.mark.parametrize(
    "tail",
    ["Minh Anh", "Nguồn: https://mst.gov.vn/a-197260905.htm", "Theo TTXVN",
     "Source: Báo Lâm Đồng", "Thu Hằng\n\nNguồn: Báo Chính phủ", "Источник: https://mst.gov.vn/a"],
)  # fmt: skip
def test_author_and_credit_lines_removed(tail: str) -> None:
    assert clean_paragraphs(None, f"{BODY}\n\n{tail}") == BODY.split("\n\n")


def test_a_last_sentence_is_kept() -> None:
    text = BODY + "\n\nHồ sơ được tiếp nhận đến hết ngày 31/10/2026."
    assert clean_paragraphs(None, text)[-1] == "Hồ sơ được tiếp nhận đến hết ngày 31/10/2026."


def test_summary_printed_again_in_the_body_counts_once() -> None:
    lead = "Sáng 5/9, Bộ Khoa học và Công nghệ công bố danh mục nhiệm vụ trọng điểm."
    assert normalized_text(lead, f"{lead}\n\n{BODY}") == normalized_text(lead, BODY)
    assert normalized_text(None, f"{lead}\n\n{BODY}") == normalized_text(lead, BODY)


def test_cut_off_summary_counts_as_printed() -> None:
    lead = "Sáng 5/9, Bộ Khoa học và Công nghệ công bố danh mục nhiệm vụ trọng điểm."
    assert normalized_text(lead[:60] + "...", f"{lead}\n\n{BODY}") == normalized_text(
        None, f"{lead}\n\n{BODY}"
    )


def test_other_summary_is_kept() -> None:
    assert normalized_text("Một tóm tắt khác hẳn.", BODY).startswith("mot tom tat khac han")


def test_copies_normalize_alike() -> None:
    lead = "Sáng 5/9, Bộ Khoa học và Công nghệ công bố danh mục nhiệm vụ trọng điểm."
    original = normalized_text("(MST) - " + lead, BODY + "\n\nPhòng Truyền thông")
    copy = normalized_text(
        None,
        unicodedata.normalize("NFD", f"(Chinhphu.vn) - {lead}\n\n{BODY}\n\nThu Hằng\n\nTheo MST"),
    )
    assert original == copy
    assert original.startswith("sang 5 9 bo khoa hoc va cong nghe")
