"""Stories through the CLI on a real SQLite archive: a copy imported before its credited
original is re-anchored when the original arrives; translations join by hreflang; a re-fetch
with new content is an ``updated`` version, not a new article; aliases resolve; query shows one
row per story unless ``--copies``; ``vnnews story`` and export say who is the original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from storage import open_archive, session_factory
from storage.models import Article, ArticleVersion

BODY = (
    "Bộ Khoa học và Công nghệ vừa công bố kết quả chương trình hỗ trợ doanh nghiệp đổi mới "
    "công nghệ giai đoạn 2021-2025. Theo Quyết định 2471/QĐ-BKHCN, chương trình đã hỗ trợ 1.284 "
    "doanh nghiệp với tổng kinh phí 3.150 tỷ đồng, trong đó 412 doanh nghiệp làm chủ công nghệ "
    "lõi. Tỷ lệ đổi mới thiết bị đạt 37,5%. Giai đoạn tới, Bộ sẽ ưu tiên các dự án trí tuệ nhân "
    "tạo, vi mạch bán dẫn và vật liệu mới, với mục tiêu 2.000 doanh nghiệp được hỗ trợ đến năm 2030."
)
ORIGINAL = {
    "url": "https://mst.gov.vn/ket-qua-chuong-trinh-ho-tro-doi-moi-cong-nghe-197260905080000123.htm",
    "source": "mst", "lang": "vi", "published_at": "2026-09-05T08:00:00+07:00",
    "title": "Kết quả chương trình hỗ trợ doanh nghiệp đổi mới công nghệ",
    "summary": "Chương trình đã hỗ trợ 1.284 doanh nghiệp.", "text": BODY,
}  # fmt: skip
COPY = {
    "url": "https://baolamdong.vn/ho-tro-doanh-nghiep-doi-moi-cong-nghe-412345.html",
    "source": "baolamdong", "lang": "vi", "published_at": "2026-09-05T07:30:00+07:00",
    "title": "1.284 doanh nghiệp được hỗ trợ đổi mới công nghệ",
    "summary": "(Báo Lâm Đồng) - Chương trình đã hỗ trợ 1.284 doanh nghiệp.",
    "text": BODY + "\n\nNguồn: Bộ Khoa học và Công nghệ", "credited_url": ORIGINAL["url"],
}  # fmt: skip
TRANSLATION = {
    "url": "https://www.vietnam.vn/en/results-of-technology-innovation-support-programme",
    "source": "vietnamvn", "lang": "en", "published_at": "2026-09-05T10:00:00+07:00",
    "title": "Results of the technology innovation support programme",
    "summary": "The programme supported 1,284 enterprises.",
    "text": (
        "The Ministry of Science and Technology has announced the results of the programme "
        "supporting enterprises in technology innovation for 2021-2025. Under Decision "
        "2471/QD-BKHCN, it supported 1,284 enterprises with VND 3,150 billion, 412 of which "
        "mastered core technology; equipment renewal reached 37.5%. The target is 2,000 "
        "enterprises by 2030."
    ),
    "alternates": {"vi": "https://www.vietnam.vn/ket-qua-chuong-trinh-ho-tro"},
    "credited_url": ORIGINAL["url"],
}  # fmt: skip
OTHER = {
    "url": "https://baochinhphu.vn/thi-truong-khoa-hoc-cong-nghe-102260906090000456.htm",
    "source": "baochinhphu", "lang": "vi", "published_at": "2026-09-06T09:00:00+07:00",
    "title": "Phát triển thị trường khoa học và công nghệ",
    "summary": "Một bài viết khác hẳn.",
    "text": (
        "Thủ tướng yêu cầu các bộ, ngành hoàn thiện cơ chế phát triển thị trường khoa học và "
        "công nghệ, kết nối viện nghiên cứu với doanh nghiệp, thúc đẩy thương mại hóa kết quả "
        "nghiên cứu và phát triển các sàn giao dịch công nghệ ở các vùng kinh tế trọng điểm. "
        "Các địa phương cần bố trí đủ nguồn lực cho trung tâm ứng dụng tiến bộ khoa học."
    ),
}  # fmt: skip


@pytest.fixture()
def cli(tmp_path: Path):  # noqa: ANN201
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    def run(*args: str) -> int:
        return main(["--db", db, "--sites", str(tmp_path / "sites.toml"), *args])

    def load(*records: dict, name: str = "in.jsonl") -> None:
        path = tmp_path / name
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                        encoding="utf-8")  # fmt: skip
        assert run("import", str(path)) == 0

    run.db, run.load = db, load  # type: ignore[attr-defined]
    return run


def _query(cli, capsys, *args: str) -> list[dict]:  # noqa: ANN001
    capsys.readouterr()
    assert cli("query", "--format", "json", "--include-irrelevant", *args) == 0
    return json.loads(capsys.readouterr().out)


def test_copy_before_original_is_re_anchored_and_translation_joins(cli, capsys) -> None:  # noqa: ANN001
    cli.load(COPY, name="a.jsonl")  # the copy first; its credited original is not archived yet
    rows = _query(cli, capsys)
    assert len(rows) == 1 and rows[0]["is_original"] is True  # alone, it is its own original
    cli.load(ORIGINAL, TRANSLATION, OTHER, name="b.jsonl")
    stories = {r["url"]: r for r in _query(cli, capsys, "--copies")}
    story = stories[ORIGINAL["url"]]["story_id"]
    assert stories[COPY["url"]]["story_id"] == story == stories[TRANSLATION["url"]]["story_id"]
    assert stories[OTHER["url"]]["story_id"] != story
    # the credited original wins although the copy says it was published earlier
    assert stories[ORIGINAL["url"]]["is_original"] is True
    assert stories[COPY["url"]]["relation"] == "republished"
    assert stories[TRANSLATION["url"]]["relation"] == "translated"
    assert {r["original_url"] for r in stories.values() if r["story_id"] == story} == {
        ORIGINAL["url"]
    }
    # one row per story by default: the original stands for its copies
    assert {r["url"] for r in _query(cli, capsys)} == {ORIGINAL["url"], OTHER["url"]}

    capsys.readouterr()
    assert cli("story", str(story)) == 0
    out = capsys.readouterr().out
    assert f"story {story}: 3 articles on 3 sites" in out and "in en, vi" in out
    assert out.index("original") < out.index("republished") < out.index("translated")
    assert cli("story", str(story), "--format", "json") == 0
    members = json.loads(capsys.readouterr().out)["articles"]
    assert [m["relation"] for m in members] == ["original", "republished", "translated"]
    assert cli("story", "99999") == 1


def test_same_result_whatever_the_order(cli, tmp_path, capsys) -> None:  # noqa: ANN001
    cli.load(TRANSLATION, OTHER, COPY, ORIGINAL, name="reverse.jsonl")
    stories = {r["url"]: r for r in _query(cli, capsys, "--copies")}
    assert stories[ORIGINAL["url"]]["is_original"] is True
    grouped = {r["url"] for r in stories.values()
               if r["story_id"] == stories[ORIGINAL["url"]]["story_id"]}  # fmt: skip
    assert grouped == {ORIGINAL["url"], COPY["url"], TRANSLATION["url"]}


def test_refetch_with_new_content_is_an_updated_version(cli, capsys) -> None:  # noqa: ANN001
    cli.load(ORIGINAL, name="first.jsonl")
    changed = {**ORIGINAL, "url": ORIGINAL["url"] + "?utm_source=zalo",
               "text": BODY + " Bộ cũng công bố danh sách doanh nghiệp tiêu biểu."}  # fmt: skip
    cli.load(changed, name="second.jsonl")
    rows = _query(cli, capsys, "--copies")
    assert len(rows) == 1  # the same article (the tracking parameter is an alias), not a copy
    engine = open_archive(cli.db)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(ArticleVersion)) == 1
        article = session.scalars(select(Article)).one()
        assert article.text.endswith("tiêu biểu.")
    engine.dispose()
    capsys.readouterr()
    assert cli("story", str(rows[0]["story_id"])) == 0
    assert "updated" in capsys.readouterr().out


def test_known_url_variants_resolve_to_one_article(cli, capsys) -> None:  # noqa: ANN001
    cli.load(ORIGINAL, name="first.jsonl")
    variant = {**ORIGINAL, "url": ORIGINAL["url"].replace("https://", "http://") + "#top"}
    cli.load(variant, name="second.jsonl")
    assert len(_query(cli, capsys, "--copies")) == 1
