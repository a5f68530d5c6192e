"""One test per canonical-URL rule (crawler/dedup/urls.py), Vietnamese paths included."""

import pytest

from crawler.dedup.urls import INDEX_PAGES, TRACKING_PARAMS, canonical_url

ARTICLE = "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm"


def test_scheme_and_host_case() -> None:
    assert (
        canonical_url("HTTPS://BaoChinhPhu.VN/chinh-phu-ban-hanh-nghi-dinh-102260905.htm")
        == ARTICLE
    )


def test_path_case_is_kept() -> None:
    # servers may tell /Tin-Tuc from /tin-tuc: only scheme and host are case-free
    assert canonical_url("https://x.vn/Tin-Tuc/A.htm") == "https://x.vn/Tin-Tuc/A.htm"


def test_http_becomes_https() -> None:
    assert (
        canonical_url("http://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm") == ARTICLE
    )


@pytest.mark.parametrize("port", [":443", ":80"])
def test_default_ports_dropped(port: str) -> None:
    assert (
        canonical_url(f"https://baochinhphu.vn{port}/chinh-phu-ban-hanh-nghi-dinh-102260905.htm")
        == ARTICLE
    )


def test_other_ports_kept() -> None:
    assert canonical_url("https://h.vn:8443/x") == "https://h.vn:8443/x"


def test_fragment_dropped() -> None:
    assert canonical_url(ARTICLE + "#binh-luan") == ARTICLE


def test_host_trailing_dot_dropped() -> None:
    assert (
        canonical_url("https://baochinhphu.vn./chinh-phu-ban-hanh-nghi-dinh-102260905.htm")
        == ARTICLE
    )


@pytest.mark.parametrize(
    "query",
    ["utm_source=zalo&utm_medium=social&utm_campaign=x", "fbclid=IwAR0abc", "gclid=Cj0K",
     "zarsi=1", "gidzl=abc-DEF", "_ga=2.1.2.3", "mc_cid=1&mc_eid=2", "msclkid=9", "UTM_Source=x"],
)  # fmt: skip
def test_tracking_parameters_dropped(query: str) -> None:
    assert canonical_url(f"{ARTICLE}?{query}") == ARTICLE


def test_tracking_list_is_named() -> None:
    assert {"fbclid", "gclid", "zarsi", "gidzl", "_ga", "mc_cid"} <= TRACKING_PARAMS


def test_other_parameters_kept_and_sorted() -> None:
    assert (
        canonical_url("https://x.vn/tim-kiem?q=ai&utm_source=x&page=2&id=7")
        == "https://x.vn/tim-kiem?id=7&page=2&q=ai"
    )


def test_trailing_slash_dropped() -> None:
    assert canonical_url("https://baolamdong.vn/thoi-su/202609/bai-viet-1a2b/") == (
        "https://baolamdong.vn/thoi-su/202609/bai-viet-1a2b"
    )


def test_root_keeps_its_slash() -> None:
    assert canonical_url("https://mst.gov.vn") == "https://mst.gov.vn/"
    assert canonical_url("https://mst.gov.vn/") == "https://mst.gov.vn/"


@pytest.mark.parametrize("page", ["index.html", "index.htm", "default.aspx", "Index.HTML"])
def test_index_page_dropped(page: str) -> None:
    assert (
        canonical_url(f"https://laichau.gov.vn/tin-tuc/{page}") == "https://laichau.gov.vn/tin-tuc"
    )
    assert page.lower() in INDEX_PAGES


def test_index_page_at_root() -> None:
    assert canonical_url("https://laichau.gov.vn/index.html") == "https://laichau.gov.vn/"


def test_index_only_as_the_last_segment() -> None:
    assert canonical_url("https://x.vn/index.html/a") == "https://x.vn/index.html/a"


@pytest.mark.parametrize("prefix", ["m.", "amp."])
def test_mobile_and_amp_hosts(prefix: str) -> None:
    assert (
        canonical_url(f"https://{prefix}baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm")
        == ARTICLE
    )


def test_mobile_prefix_not_taken_from_a_bare_suffix() -> None:
    assert canonical_url("https://m.com.vn/a") == "https://m.com.vn/a"
    assert canonical_url("https://m.vn/a") == "https://m.vn/a"


def test_www_is_kept() -> None:
    assert (
        canonical_url("https://www.tapchicongsan.org.vn/a") == "https://www.tapchicongsan.org.vn/a"
    )
    assert canonical_url("https://tapchicongsan.org.vn/a") == "https://tapchicongsan.org.vn/a"


@pytest.mark.parametrize(
    "variant",
    [
        "https://baochinhphu.vn/amp/chinh-phu-ban-hanh-nghi-dinh-102260905.htm",
        "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm/amp",
        "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.amp.htm",
        "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm?amp",
        "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm?amp=1",
        "https://baochinhphu.vn/chinh-phu-ban-hanh-nghi-dinh-102260905.htm?outputType=amp",
        "https://amp.baochinhphu.vn/amp/chinh-phu-ban-hanh-nghi-dinh-102260905.htm/?amp=1",
    ],
)
def test_amp_variants(variant: str) -> None:
    assert canonical_url(variant) == ARTICLE


def test_amp_inside_a_word_is_kept() -> None:
    assert canonical_url("https://x.vn/camp/example.htm") == "https://x.vn/camp/example.htm"
    assert canonical_url("https://x.vn/a?output=html") == "https://x.vn/a?output=html"


VI_ENCODED = (
    "https://tinhuy.laichau.gov.vn/tin-t%E1%BB%A9c/chuy%E1%BB%83n-%C4%91%E1%BB%95i-s%E1%BB%91"
)


def test_vietnamese_raw_path_is_percent_encoded() -> None:
    assert canonical_url("https://tinhuy.laichau.gov.vn/tin-tức/chuyển-đổi-số") == VI_ENCODED


def test_vietnamese_percent_escapes_any_case() -> None:
    assert canonical_url(VI_ENCODED.lower().replace("https://", "HTTPS://")) == VI_ENCODED


def test_vietnamese_decomposed_path() -> None:
    # "ứ" typed as u + horn + acute (NFD): the same page as the precomposed spelling
    assert (
        canonical_url("https://tinhuy.laichau.gov.vn/tin-tu%CC%9B%CC%81c/chuyển-đổi-số")
        == VI_ENCODED
    )


@pytest.mark.parametrize(
    "query",
    ["q=chuyển đổi số", "q=chuyển%20đổi%20số", "q=chuy%e1%bb%83n%20%c4%91%e1%bb%95i%20s%e1%bb%91",
     "q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91"],
)  # fmt: skip
def test_vietnamese_query_escapes(query: str) -> None:
    assert canonical_url(f"https://x.vn/tim-kiem?{query}") == (
        "https://x.vn/tim-kiem?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91"
    )


def test_reserved_escapes_stay_escaped() -> None:
    # an encoded slash is part of a segment, not a separator; bytes that are not UTF-8 stay
    assert canonical_url("https://x.vn/a%2Fb/") == "https://x.vn/a%2Fb"
    assert canonical_url("https://x.vn/%ff/a") == "https://x.vn/%FF/a"


def test_idempotent() -> None:
    for url in (
        ARTICLE,
        VI_ENCODED,
        "https://x.vn/tim-kiem?id=7&page=2&q=ai",
        "https://mst.gov.vn/",
    ):
        assert canonical_url(canonical_url(url)) == canonical_url(url)
