"""Province roles: source from the host, one primary (none for national news), substantive
mentions, and the passing mentions that are no tag at all."""

from __future__ import annotations

import pytest

from crawler.tagging import roles
from crawler.tagging.provinces import ProvinceResult, tag_provinces

NATIONAL = "https://vnexpress.net/bai-viet-4900000.html"


def pairs(result: ProvinceResult) -> set[tuple[str, str]]:
    return {(tag.slug, tag.role) for tag in result.tags}


def tag(title: str, text: str, url: str = NATIONAL, lang: str = "vi", **kw) -> ProvinceResult:
    return tag_provinces(title, text, url, lang, **kw)


# --- source -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://laichau.gov.vn/tin-tuc/a.html", "lai-chau"),
        ("https://sokhcn.lamdong.gov.vn/a", "lam-dong"),
        ("https://stttt.bacgiang.gov.vn/a", "bac-ninh"),
        ("https://baolamdong.vn/a.html", "lam-dong"),
    ],
)
def test_source_from_the_host(url: str, slug: str) -> None:
    result = tag("Hội nghị về chuyển đổi số", "Các sở ngành tham dự hội nghị.", url)
    assert (slug, "source") in pairs(result)


def test_source_from_the_argument_and_national_hosts_have_none() -> None:
    result = tag("Tin tức", "Nội dung.", NATIONAL, source_province="Lâm Đồng")
    assert ("lam-dong", "source") in pairs(result)
    assert not any(t.role == "source" for t in tag("Tin", "Nội dung.", "https://mst.gov.vn/a").tags)


def test_a_provincial_site_naming_no_province_is_about_its_province() -> None:
    text = (
        "Sáng 3/4, UBND tỉnh tổ chức lễ ra mắt ứng dụng công dân số. Toàn tỉnh hiện có "
        "120 thủ tục được thực hiện trực tuyến toàn trình trên địa bàn tỉnh."
    )
    result = tag("Ra mắt ứng dụng công dân số", text, "https://laichau.gov.vn/a.html")
    assert result.primary == "lai-chau"
    assert pairs(result) == {("lai-chau", "source"), ("lai-chau", "primary")}
    # the same text on a national site: nobody knows which province
    assert tag("Ra mắt ứng dụng công dân số", text).primary is None


def test_a_provincial_site_needs_one_mention_of_itself() -> None:
    text = "Nghiên cứu thuộc nhiệm vụ khoa học cấp tỉnh của Khánh Hòa về giám sát rạn san hô."
    result = tag("Viện Hải dương học dùng AI nhận dạng san hô", text, "https://baokhanhhoa.vn/a")
    assert result.primary == "khanh-hoa"
    assert "hai-phong" not in {t.slug for t in result.tags}  # Hải dương học is no province


# --- primary and mentioned --------------------------------------------------------------------


def test_title_province_is_primary_and_old_names_are_kept() -> None:
    result = tag(
        "Bắc Kạn phủ sóng 4G đến các thôn vùng cao",
        "Các thôn vùng cao của tỉnh Bắc Kạn cũ nay đã có sóng 4G, với 40 trạm phát mới.",
    )
    assert result.primary == "thai-nguyen"
    (primary,) = result.tags
    assert primary.role == "primary" and primary.code == 19 and primary.name == "Thái Nguyên"
    assert primary.old_names == ("Bắc Kạn",)
    assert "Bắc Kạn" in primary.names and "tỉnh Bắc Kạn" in primary.names


def test_current_and_old_name_of_one_unit_make_one_tag() -> None:
    result = tag(
        "Lâm Đồng hợp nhất cơ sở dữ liệu đất đai",
        "Lâm Đồng đã hợp nhất dữ liệu đất đai của Đắk Nông và Bình Thuận cũ: 2,1 triệu thửa đất.",
    )
    assert pairs(result) == {("lam-dong", "primary")}
    assert result.tags[0].old_names == ("Đắk Nông", "Bình Thuận")


def test_second_province_with_its_own_figures_is_mentioned() -> None:
    result = tag(
        "Đà Nẵng và Quảng Ngãi hợp tác đào tạo kỹ sư bán dẫn",
        "Đà Nẵng sẽ đào tạo 5.000 kỹ sư bán dẫn đến năm 2030.\n"
        "Tại Đà Nẵng, thành phố đầu tư phòng thí nghiệm dùng chung.\n"
        "Quảng Ngãi dành 20 ha cho nhà máy đóng gói chip và đào tạo 800 kỹ thuật viên.",
    )
    assert result.primary == "da-nang"
    assert pairs(result) == {("da-nang", "primary"), ("quang-ngai", "mentioned")}


def test_the_first_province_of_the_title_leads() -> None:
    result = tag(
        "Đà Nẵng ký kết hợp tác với Huế",
        "UBND thành phố Đà Nẵng và UBND thành phố Huế ký chương trình hợp tác. Huế có 90 dự án "
        "khởi nghiệp; Đà Nẵng có 300 doanh nghiệp khởi nghiệp.",
    )
    assert result.primary == "da-nang"
    assert ("hue", "mentioned") in pairs(result)


def test_national_news_has_no_primary() -> None:
    result = tag(
        "Hội nghị toàn quốc sơ kết một năm thực hiện Nghị quyết 57",
        "Sáng 12/3, tại Hà Nội, Bộ Khoa học và Công nghệ tổ chức hội nghị trực tuyến toàn quốc.\n"
        "Dự hội nghị tại điểm cầu tỉnh Lai Châu có Phó Chủ tịch UBND tỉnh. Tại điểm cầu Lâm "
        "Đồng, Cần Thơ có lãnh đạo các sở.\nBộ trưởng đề nghị các địa phương số hóa dữ liệu.",
        "https://mst.gov.vn/a.htm",
    )
    assert result.primary is None
    assert result.tags == []


def test_bridge_point_with_its_own_figures_is_mentioned_not_primary() -> None:
    result = tag(
        "Hội nghị trực tuyến toàn quốc về Bình dân học vụ số",
        "Chiều 16/10, Bộ Khoa học và Công nghệ tổ chức hội nghị trực tuyến toàn quốc.\n"
        "Phát biểu tại điểm cầu tỉnh Lào Cai, Phó Chủ tịch UBND tỉnh cho biết Lào Cai đã mở "
        "1.450 lớp học kỹ năng số. Các điểm cầu tỉnh Sơn La, Quảng Trị cũng theo dõi.",
        "https://mst.gov.vn/a.htm",
    )
    assert result.primary is None
    assert pairs(result) == {("lao-cai", "mentioned")}


def test_spread_over_many_provinces_is_national() -> None:
    result = tag(
        "Công bố chỉ số chuyển đổi số cấp tỉnh năm 2025",
        "Bộ Khoa học và Công nghệ công bố chỉ số chuyển đổi số cấp tỉnh.\n"
        "Bảng xếp hạng: Quảng Ninh, Hà Nội, Đà Nẵng, TP.HCM, Bắc Ninh dẫn đầu.",
    )
    assert result.primary is None
    assert result.tags == []


# --- passing mentions and false friends ---------------------------------------------------------


def test_passing_mentions_are_not_tags() -> None:
    result = tag(
        "TP.HCM thí điểm trợ lý ảo cho cán bộ phường",
        "TP.HCM vừa thí điểm trợ lý ảo tại 20 phường.\n"
        "Đoàn công tác tỉnh Đồng Nai đã đến học tập mô hình.\n"  # a delegation's origin
        "Sinh viên Trường Đại học Bách khoa Hà Nội tham gia phát triển.\n"  # organisation
        "Văn phòng dự án đặt trên đường Hải Phòng, quận 1.\n"  # a street
        "Hội thảo giới thiệu kết quả sẽ được tổ chức tại Cần Thơ vào tháng sau.",  # a venue
    )
    assert pairs(result) == {("ho-chi-minh", "primary")}


def test_ranking_and_origin_are_passing() -> None:
    result = tag(
        "Thái Nguyên mở phòng thử nghiệm linh kiện điện tử",
        "Thái Nguyên vừa mở phòng thử nghiệm linh kiện đạt chuẩn ISO/IEC 17025.\n"
        "Về xuất khẩu điện tử, tỉnh đứng sau Bắc Ninh và Hà Nội với 30 tỷ USD.\n"
        "Khách hàng chủ yếu đến từ TP.HCM, chiếm 40% đơn đặt hàng.",
    )
    assert pairs(result) == {("thai-nguyen", "primary")}


def test_person_is_not_the_city() -> None:
    result = tag(
        "Học tập tư tưởng Hồ Chí Minh về khoa học",
        "Học viện Chính trị quốc gia Hồ Chí Minh tổ chức hội thảo. Chủ tịch Hồ Chí Minh luôn "
        "coi trọng khoa học; Bác Hồ dạy cán bộ phải học suốt đời. Thế giới cần hòa bình.",
    )
    assert result.tags == []


def test_dateline_and_venue_in_english() -> None:
    result = tag(
        "Ministry reviews Resolution 57",
        "HANOI — The ministry held a national conference on Monday.\n"
        "The conference took place in Hanoi and was connected with bridge points in Lam Dong "
        "province and Can Tho city.",
        "https://www.vietnam.vn/en/a",
        "en",
    )
    assert result.tags == []


def test_english_colour_word_and_organisation() -> None:
    result = tag(
        "HCMC opens chip design centre",
        "Ho Chi Minh City opened a chip design centre with 300 engineers. Lecturers from the "
        "University of Danang teach there. The hue of the new logo is blue.",
        "https://e.vnexpress.net/a",
        "en",
    )
    assert pairs(result) == {("ho-chi-minh", "primary")}


def test_russian_and_ukrainian_case_endings() -> None:
    result = tag(
        "В Ханое открылся центр искусственного интеллекта",
        "Власти Ханоя открыли центр. В Ханое работают 40 стартапов.",
        "https://www.vietnam.vn/ru/a",
        "ru",
    )
    assert pairs(result) == {("ha-noi", "primary")}
    result = tag(
        "Тхайнгуєн прокладає оптоволокно до сіл колишньої провінції Баккан",
        "Провінція Тхайнгуєн підключила 120 сіл.",
        "https://www.vietnam.vn/uk/a",
        "uk",
    )
    assert pairs(result) == {("thai-nguyen", "primary")}
    assert result.tags[0].old_names == ("Bắc Kạn",)


def test_russian_national_story_with_dateline_venue_and_bridge_point() -> None:
    result = tag(
        "Национальный центр обработки данных начал работу",
        "Ханой, 19 августа – Правительство ввело в эксплуатацию центр.\n"
        "Церемония прошла в Ханое; в точке подключения провинции Тханьхоа за ней следили "
        "руководители.",
        "https://www.vietnam.vn/ru/a",
        "ru",
    )
    assert result.tags == []


def test_cjk_primary_and_venue() -> None:
    result = tag(
        "胡志明市推出一站式数字政务应用程序",
        "胡志明市人民委员会推出应用程序。该应用程序此前在河内举行的成果展上获得了奖项。",
        "https://www.vietnam.vn/zh/a",
        "zh",
    )
    assert pairs(result) == {("ho-chi-minh", "primary")}


def test_french_province_and_delegations() -> None:
    result = tag(
        "Hanoï accueille le festival de l'innovation",
        "Le festival de Hanoï s'est ouvert vendredi avec 200 stands.\n"
        "Des délégations venues de Hô Chi Minh-Ville et de Da Nang participent.",
        "https://www.vietnam.vn/fr/a",
        "fr",
    )
    assert pairs(result) == {("ha-noi", "primary")}


def test_empty_article() -> None:
    assert tag("", "") == ProvinceResult(tags=[], primary=None)


# --- the context rules on their own -------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "sentence", "kind"),
    [
        ("phát biểu tại điểm cầu tỉnh ", "", "phat bieu tai diem cau tinh", roles.BRIDGE),
        ("đoàn công tác tỉnh ", " đến thăm", "", roles.DELEGATION),
        ("trên đường ", ", quận 1", "", roles.NOT_PROVINCE),
        ("tư tưởng ", "", "", roles.NOT_PROVINCE),
        ("hội nghị diễn ra tại ", " hôm qua", "hoi nghi dien ra tai ha noi", roles.VENUE),
        ("triển khai mô hình tại ", " với 20 xã", "trien khai mo hinh tai", roles.SUBSTANTIVE),
        ("Bộ trưởng Nguyễn Văn A đánh giá ", " dẫn đầu", "", roles.SUBSTANTIVE),
        ("Sinh viên Đại học ", " tham gia", "", roles.ORGANISATION),
        ("các địa phương như ", "", "", roles.SUBSTANTIVE),
        ("dành cho ", "", "", roles.SUBSTANTIVE),  # "cho" is "for", not "chợ" (market)
    ],
)
def test_classify(before: str, after: str, sentence: str, kind: str) -> None:
    from crawler.tagging.gazetteer import fold

    folded = fold(before).lower()
    person = before.startswith("tư tưởng")
    assert roles.classify(folded, fold(after).lower(), sentence, person, raw_before=before) == kind
