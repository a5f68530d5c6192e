"""The gazetteer: the data file is what scripts/build_gazetteer.py makes of the shared facts and
our names, the facts hold (34 units, 63 old provinces, codes, the merger), and the lookups the
CLI relies on resolve what users type."""

from __future__ import annotations

import importlib.util
import json

import pytest

from crawler.tagging.gazetteer import (
    DATA_FILE,
    core_key,
    fold,
    load_gazetteer,
    name_key,
    normalize_tones,
    tone_variants,
)
from tests.conftest import ROOT, SHARED

FACTS = SHARED / "reference" / "provinces_2025.json"

SLUGS = [
    "ha-noi", "cao-bang", "tuyen-quang", "dien-bien", "lai-chau", "son-la", "lao-cai",
    "thai-nguyen", "lang-son", "quang-ninh", "bac-ninh", "phu-tho", "hai-phong", "hung-yen",
    "ninh-binh", "thanh-hoa", "nghe-an", "ha-tinh", "quang-tri", "hue", "da-nang", "quang-ngai",
    "gia-lai", "khanh-hoa", "dak-lak", "lam-dong", "dong-nai", "ho-chi-minh", "tay-ninh",
    "dong-thap", "vinh-long", "an-giang", "can-tho", "ca-mau",
]  # fmt: skip

# The merger as the spec states it (old province -> unit).
MERGED = {
    "Bắc Kạn": "thai-nguyen", "Đắk Nông": "lam-dong", "Bình Thuận": "lam-dong",
    "Bình Dương": "ho-chi-minh", "Bà Rịa - Vũng Tàu": "ho-chi-minh", "Hà Giang": "tuyen-quang",
    "Yên Bái": "lao-cai", "Hòa Bình": "phu-tho", "Vĩnh Phúc": "phu-tho", "Hải Dương": "hai-phong",
    "Thái Bình": "hung-yen", "Hà Nam": "ninh-binh", "Nam Định": "ninh-binh",
    "Quảng Bình": "quang-tri", "Quảng Nam": "da-nang", "Kon Tum": "quang-ngai",
    "Bình Định": "gia-lai", "Ninh Thuận": "khanh-hoa", "Phú Yên": "dak-lak",
    "Bình Phước": "dong-nai", "Long An": "tay-ninh", "Tiền Giang": "dong-thap",
    "Bến Tre": "vinh-long", "Trà Vinh": "vinh-long", "Kiên Giang": "an-giang",
    "Sóc Trăng": "can-tho", "Hậu Giang": "can-tho", "Bạc Liêu": "ca-mau", "Bắc Giang": "bac-ninh",
}  # fmt: skip


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", ROOT / "scripts" / "build_gazetteer.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_file_is_what_the_generator_makes() -> None:
    if not FACTS.is_file():
        pytest.skip(f"{FACTS} is absent (../shared not beside the checkout): cannot regenerate")
    assert DATA_FILE.read_text("utf-8") == _build_module().render(), (
        "crawler/tagging/data/provinces.json is out of date: run python scripts/build_gazetteer.py"
    )


def test_generator_refuses_a_name_two_units_share() -> None:
    if not FACTS.is_file():
        pytest.skip(f"{FACTS} is absent (../shared not beside the checkout)")
    module = _build_module()
    facts = json.loads(FACTS.read_text("utf-8"))
    with pytest.raises(SystemExit, match="names both"):
        module.build(facts, {"unit": {"lai-chau": {"en": ["Hanoi"]}}})
    with pytest.raises(SystemExit, match="no such unit"):
        module.build(facts, {"unit": {"lai-chow": {"en": ["Lai Chow"]}}})


def test_34_units_with_their_codes_and_unique_slugs() -> None:
    gazetteer = load_gazetteer()
    assert [u.slug for u in gazetteer.units] == SLUGS
    assert len(set(gazetteer.by_slug)) == 34
    assert gazetteer.by_slug["ha-noi"].code == 1
    assert gazetteer.by_slug["lai-chau"].code == 12
    assert gazetteer.by_slug["ho-chi-minh"].code == 79
    assert gazetteer.by_slug["ca-mau"].code == 96
    assert gazetteer.by_slug["ho-chi-minh"].kind == "thành phố"
    assert gazetteer.by_slug["lam-dong"].kind == "tỉnh"
    assert gazetteer.by_slug["ho-chi-minh"].name_en == "Ho Chi Minh City"
    assert len({u.code for u in gazetteer.units}) == 34


def test_every_old_province_belongs_to_one_unit_and_resolves_to_it() -> None:
    gazetteer = load_gazetteer()
    old = [(o, u) for u in gazetteer.units for o in u.old]
    assert len(old) == 63
    assert len({o.code for o, _ in old}) == 63
    for province, unit in old:
        assert gazetteer.resolve(province.name_vi) is unit, province.name_vi
        assert gazetteer.resolve(province.name_ascii) is unit, province.name_ascii
    for name, slug in MERGED.items():
        assert gazetteer.resolve(name).slug == slug, name
    # old and new codes are separate code spaces: Bắc Giang's 24 is Bắc Ninh's new code
    assert {o.name_vi: o.code for o in gazetteer.by_slug["bac-ninh"].old} == {
        "Bắc Ninh": 27,
        "Bắc Giang": 24,
    }
    assert gazetteer.by_slug["phu-tho"].old_names == ("Vĩnh Phúc", "Hòa Bình")
    assert gazetteer.by_slug["hue"].old_names == ("Thừa Thiên Huế",)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("lai-chau", "lai-chau"),
        ("ho_chi_minh", "ho-chi-minh"),
        ("Lai Châu", "lai-chau"),
        ("lai chau", "lai-chau"),
        ("LAI CHÂU", "lai-chau"),
        ("Khánh Hoà", "khanh-hoa"),  # the other tone-mark placement
        ("Thanh Hoá", "thanh-hoa"),
        ("tỉnh Lâm Đồng", "lam-dong"),
        ("TP. Hồ Chí Minh", "ho-chi-minh"),
        ("TP.HCM", "ho-chi-minh"),
        ("tphcm", "ho-chi-minh"),
        ("HCMC", "ho-chi-minh"),
        ("Sài Gòn", "ho-chi-minh"),
        ("Thành phố Cần Thơ", "can-tho"),
        ("Hanoi", "ha-noi"),
        ("Ho Chi Minh City", "ho-chi-minh"),
        ("Lam Dong province", "lam-dong"),
        ("Daklak", "dak-lak"),
        ("Đăk Lăk", "dak-lak"),
        ("Bắc Cạn", "thai-nguyen"),
        ("Kontum", "quang-ngai"),
        ("BR-VT", "ho-chi-minh"),
        ("Bà Rịa-Vũng Tàu", "ho-chi-minh"),
        ("Thừa Thiên Huế", "hue"),
        ("Тхайнгуен", "thai-nguyen"),
        ("Бакзянг", "bac-ninh"),
        ("河内", "ha-noi"),
        ("하노이", "ha-noi"),
        ("ハノイ", "ha-noi"),
        ("Hanoï", "ha-noi"),
        ("Hô Chi Minh-Ville", "ho-chi-minh"),
    ],
)
def test_resolve_accepts_what_users_type(name: str, slug: str) -> None:
    assert load_gazetteer().resolve(name).slug == slug


@pytest.mark.parametrize("name", ["", "  ", "Atlantis", "Hà", "tỉnh", "Thái Bình Dương"])
def test_resolve_rejects_what_is_no_province(name: str) -> None:
    assert load_gazetteer().resolve(name) is None


def test_suggest_lists_the_closest_names() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.suggest("Thai Nguen")[0] == "Thái Nguyên"
    assert "Lâm Đồng" in gazetteer.suggest("Lam Dongg")
    assert "Bắc Kạn" in gazetteer.suggest("Bac Kann")
    assert len(gazetteer.suggest("Quang", n=3)) == 3


@pytest.mark.parametrize(
    ("host", "slug"),
    [
        ("laichau.gov.vn", "lai-chau"),
        ("www.laichau.gov.vn", "lai-chau"),
        ("sokhcn.lamdong.gov.vn", "lam-dong"),
        ("stttt.bacgiang.gov.vn", "bac-ninh"),  # old name in the host
        ("thuathienhue.gov.vn", "hue"),
        ("baolamdong.vn", "lam-dong"),
        ("baoquangninh.com.vn", "quang-ninh"),
        ("baodongkhoi.vn", "vinh-long"),  # Bến Tre's paper
        ("hanoimoi.vn", "ha-noi"),
        ("https://www.baolaichau.vn/path", "lai-chau"),
        ("mst.gov.vn", None),
        ("baochinhphu.vn", None),
        ("www.vietnam.vn", None),
        ("vnexpress.net", None),
        ("tapchicongsan.org.vn", None),
        ("laichau.example.com", None),
        ("", None),
    ],
)
def test_province_of_host(host: str, slug: str | None) -> None:
    assert load_gazetteer().province_of_host(host) == slug


def test_normalisation_helpers() -> None:
    assert normalize_tones("Hoà Bình") == "Hòa Bình"
    assert normalize_tones("Thuỷ") == "Thủy"
    assert normalize_tones("hoàn thành Quỳnh") == "hoàn thành Quỳnh"  # closed syllables keep it
    assert normalize_tones("quý") == "quý"
    assert tone_variants("Khánh Hòa") == ["Khánh Hòa", "Khánh Hoà"]
    assert fold("Lâm Đồng, Hanoï") == "Lam Dong, Hanoi"
    assert fold("Тхайнгуєн й") == "Тхайнгуєн й"  # other scripts untouched
    assert name_key("Thành phố Hồ Chí Minh") == name_key("thanh pho ho chi minh")
    assert core_key("tỉnh Lâm Đồng") == core_key("Lam Dong province") == "lamdong"


def test_every_unit_has_renderings_in_the_translated_editions() -> None:
    for unit in load_gazetteer().units:
        for lang in ("vi", "ascii", "en", "ru", "uk", "zh", "ko", "ja"):
            assert unit.aliases.get(lang), (unit.slug, lang)
        for old in unit.old:
            if old.name_vi != unit.name_vi:
                assert old.aliases.get("ru"), (old.name_vi, "ru")
