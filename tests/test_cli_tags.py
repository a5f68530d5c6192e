"""Tags through the CLI on a real SQLite archive: import tags every article; query by province
(slug, name, old name) and topic; export; provinces and topics listings; an idempotent retag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.cli import main
from storage import open_archive

LAMDONG = {
    "url": "https://baolamdong.vn/lam-dong-so-hoa-nong-nghiep-123456.html",
    "source": "baolamdong",
    "title": "Lâm Đồng ứng dụng trí tuệ nhân tạo trong quản lý vườn cà phê",
    "text": (
        "Sở Khoa học và Công nghệ tỉnh Lâm Đồng vừa triển khai hệ thống trí tuệ nhân tạo "
        "giúp nông dân theo dõi sâu bệnh trên vườn cà phê. Tại khu vực Đắk Nông cũ, 300 hộ "
        "đã dùng ứng dụng trên điện thoại để nhận cảnh báo. Theo kế hoạch chuyển đổi số của "
        "tỉnh Lâm Đồng, đến năm 2027 toàn bộ hợp tác xã sẽ dùng nền tảng số để truy xuất "
        "nguồn gốc nông sản và kết nối thị trường."
    ),
    "published_at": "2026-09-05T09:00:00",
    "lang": "vi",
}
NATIONAL = {
    "url": "https://mst.gov.vn/quy-dinh-moi-ve-chu-ky-so-197260905100000001.htm",
    "source": "mst",
    "title": "Bộ Khoa học và Công nghệ ban hành quy định mới về chữ ký số",
    "text": (
        "Bộ Khoa học và Công nghệ ban hành thông tư hướng dẫn dịch vụ chứng thực chữ ký số "
        "công cộng, nhằm thúc đẩy chuyển đổi số và giao dịch điện tử an toàn trên cả nước. "
        "Thông tư quy định các doanh nghiệp cung cấp dịch vụ phải bảo đảm an toàn thông tin "
        "và kết nối với nền tảng xác thực quốc gia."
    ),
    "published_at": "2026-09-05T10:00:00",
    "lang": "vi",
}
SPORTS = {
    "url": "https://baolamdong.vn/giai-bong-da-thieu-nien-654321.html",
    "source": "baolamdong",
    "title": "Khai mạc giải bóng đá thiếu niên tỉnh Lâm Đồng",
    "text": (
        "Sáng nay, giải bóng đá thiếu niên tỉnh Lâm Đồng năm 2026 đã khai mạc tại sân vận "
        "động thành phố Đà Lạt với 16 đội bóng tham dự. Các trận đấu diễn ra sôi nổi, thu hút "
        "đông đảo khán giả đến cổ vũ. Giải kéo dài hai tuần."
    ),
    "published_at": "2026-09-05T11:00:00",
    "lang": "vi",
}


@pytest.fixture()
def cli(tmp_path: Path):  # noqa: ANN201
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    def run(*args: str) -> int:
        return main(["--db", db, "--sites", str(tmp_path / "sites.toml"), *args])

    run.db = db  # type: ignore[attr-defined]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in (LAMDONG, NATIONAL, SPORTS)) + "\n",
        encoding="utf-8",
    )
    assert run("import", str(path)) == 0
    return run


def _titles(cli, capsys, *args: str) -> list[str]:  # noqa: ANN001
    capsys.readouterr()
    assert cli("query", "--format", "json", *args) == 0
    return [row["title"] for row in json.loads(capsys.readouterr().out)]


def test_import_tags_and_query_by_province_name_or_old_name(cli, capsys) -> None:  # noqa: ANN001
    for name in ("lam-dong", "Lâm Đồng", "lam dong", "Đắk Nông", "Dak Nong", "Bình Thuận"):
        assert _titles(cli, capsys, "--province", name) == [LAMDONG["title"]], name
    assert _titles(cli, capsys, "--province", "Hà Nội") == []


def test_unknown_province_lists_the_closest(cli, capsys) -> None:  # noqa: ANN001
    capsys.readouterr()
    assert cli("query", "--province", "Lam Dongg") == 2
    err = capsys.readouterr().err
    assert "unknown province 'Lam Dongg'" in err and "closest:" in err and "Lâm Đồng" in err


def test_topics_relevance_and_export(cli, tmp_path, capsys) -> None:  # noqa: ANN001
    assert _titles(cli, capsys, "--topic", "ai") == [LAMDONG["title"]]
    assert _titles(cli, capsys, "--topic", "digital-government") == [NATIONAL["title"]]
    # a topic by its label, accents optional; several topics: all of them
    assert _titles(cli, capsys, "--topic", "Chuyen doi so", "--topic", "AI") == [LAMDONG["title"]]
    assert SPORTS["title"] not in _titles(cli, capsys)  # irrelevant: left out by default
    assert SPORTS["title"] in _titles(cli, capsys, "--include-irrelevant")
    capsys.readouterr()
    assert cli("query", "--topic", "no-such-topic") == 2
    assert "unknown topic" in capsys.readouterr().err

    out = tmp_path / "out.jsonl"
    assert cli("export", "-o", str(out)) == 0
    rows = {r["url"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    lamdong = rows[LAMDONG["url"]]
    assert lamdong["primary_province"] == "lam-dong" and lamdong["relevant"] is True
    assert {"slug": "lam-dong", "code": 68, "name": "Lâm Đồng", "role": "primary"} in lamdong[
        "provinces"
    ]
    assert "ai" in lamdong["topics"]
    national = rows[NATIONAL["url"]]
    assert national["primary_province"] is None and national["relevant"] is True
    assert rows[SPORTS["url"]]["relevant"] is False


def test_provinces_and_topics_listings(cli, capsys) -> None:  # noqa: ANN001
    capsys.readouterr()
    assert cli("provinces", "--format", "json") == 0
    rows = {r["slug"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(rows) == 34
    assert rows["lam-dong"]["primary"] == 1 and rows["lam-dong"]["articles"] >= 1
    assert {"Đắk Nông", "Bình Thuận"} <= set(rows["lam-dong"]["old_names"])
    assert rows["thai-nguyen"]["old_names"] == ["Bắc Kạn"]
    assert cli("provinces") == 0
    assert "Bắc Kạn" in capsys.readouterr().out
    assert cli("topics", "--format", "json") == 0
    topics = {r["slug"]: r for r in json.loads(capsys.readouterr().out)}
    assert topics["ai"]["articles"] == 1 and topics["ai"]["label_vi"]


def test_retag_is_idempotent_and_visits_outdated_articles(cli, capsys) -> None:  # noqa: ANN001
    capsys.readouterr()
    assert cli("retag") == 0
    assert "retagged 0 articles" in capsys.readouterr().out  # all current already
    assert cli("retag", "--all") == 0
    assert "retagged 3 articles: 0 changed, 3 unchanged" in capsys.readouterr().out

    engine = open_archive(cli.db)  # an older tagger's result: wrong tags, old version
    with engine.begin() as conn:
        conn.execute(text("UPDATE articles SET tagging_version = 'old', primary_province = NULL"))
        conn.execute(text("DELETE FROM article_topics"))
    engine.dispose()
    assert cli("retag") == 0
    assert "retagged 3 articles: 3 changed, 0 unchanged" in capsys.readouterr().out
    assert _titles(cli, capsys, "--province", "lam-dong", "--topic", "ai") == [LAMDONG["title"]]
    assert cli("retag") == 0
    assert "retagged 0 articles" in capsys.readouterr().out
