"""Test archives for the web tests: our own short news items, stored through the real import
pipeline (normalize, tag, dedup) into a real database, plus hostile rows written straight
into the archive to prove the web layer's output is inert whatever is stored."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from crawler.importer import import_lines
from storage import ensure_source, open_archive, session_factory, store_article
from storage.models import Article
from storage.tags import set_tags

MST = "https://mst.gov.vn/lam-dong-chuyen-doi-so-quan-ly-dat-dai-197260901.htm"
BAOLAMDONG = "https://baolamdong.vn/lam-dong-chuyen-doi-so-dat-dai-412345.html"
VIETNAMVN_EN = "https://www.vietnam.vn/en/lam-dong-digital-land-management"
LAICHAU = "https://laichau.gov.vn/tin-tuc/lai-chau-tri-tue-nhan-tao-nong-nghiep.html"
HANOI = "https://baochinhphu.vn/ha-noi-mo-trung-tam-du-lieu-102260905.htm"
DAKNONG = "https://mst.gov.vn/dak-nong-cu-chip-ban-dan-197260906.htm"
FOOTBALL = "https://baochinhphu.vn/giai-bong-da-thieu-nien-102260907.htm"
UNDATED = "https://mst.gov.vn/bai-khong-ngay-197260000.htm"

LAND_VI = (
    "Sở Khoa học và Công nghệ tỉnh Lâm Đồng triển khai nền tảng số quản lý đất đai, giúp người "
    "dân tra cứu hồ sơ trực tuyến. Chuyển đổi số trong lĩnh vực đất đai là nhiệm vụ trọng tâm "
    "của tỉnh Lâm Đồng năm 2026. Hệ thống dữ liệu đất đai được số hóa toàn bộ, kết nối với cơ "
    "sở dữ liệu quốc gia về dân cư, rút ngắn thời gian giải quyết thủ tục hành chính."
)
RECORDS: list[dict[str, Any]] = [
    {
        "url": MST, "source": "mst", "lang": "vi", "published_at": "2026-09-01T08:00:00",
        "title": "Lâm Đồng đẩy mạnh chuyển đổi số trong quản lý đất đai",
        "summary": "Tỉnh Lâm Đồng số hóa toàn bộ dữ liệu đất đai.", "text": LAND_VI,
    },
    {
        "url": BAOLAMDONG, "source": "baolamdong", "lang": "vi",
        "published_at": "2026-09-01T15:00:00", "credited_url": MST, "credited_outlet": "MST",
        "title": "Lâm Đồng đẩy mạnh chuyển đổi số trong quản lý đất đai",
        "summary": "Tỉnh Lâm Đồng số hóa toàn bộ dữ liệu đất đai.", "text": LAND_VI,
    },
    {
        "url": VIETNAMVN_EN, "source": "vietnamvn", "lang": "en",
        "published_at": "2026-09-02T09:00:00", "alternates": {"vi": MST},
        "title": "Lam Dong accelerates digital transformation of land management",
        "summary": "Lam Dong province digitises all of its land records.",
        "text": "The Lam Dong Department of Science and Technology launched a digital platform "
        "for land management so residents can look up their records online. Digital "
        "transformation of land administration is a key task of Lam Dong province in 2026.",
    },
    {
        "url": LAICHAU, "source": "laichau", "lang": "vi", "published_at": "2026-09-03T10:00:00",
        "title": "Lai Châu ứng dụng trí tuệ nhân tạo trong sản xuất nông nghiệp",
        "summary": "Nông dân Lai Châu dùng trí tuệ nhân tạo để dự báo sâu bệnh.",
        "text": "Tỉnh Lai Châu thí điểm ứng dụng trí tuệ nhân tạo (AI) dự báo sâu bệnh trên cây "
        "chè. Mô hình trí tuệ nhân tạo phân tích ảnh chụp lá chè và cảnh báo sớm cho nông dân "
        "Lai Châu qua điện thoại. Sở Khoa học và Công nghệ Lai Châu sẽ nhân rộng mô hình AI.",
    },
    {
        "url": HANOI, "source": "baochinhphu", "lang": "vi", "published_at": "2026-09-05T07:30:00",
        "title": "Hà Nội khai trương trung tâm dữ liệu phục vụ chính quyền số",
        "summary": "Thành phố Hà Nội đưa trung tâm dữ liệu mới vào hoạt động.",
        "text": "Thành phố Hà Nội khai trương trung tâm dữ liệu phục vụ chính quyền số và đô thị "
        "thông minh. Trung tâm dữ liệu của Hà Nội lưu trữ dữ liệu dân cư, giao thông và y tế, "
        "là hạ tầng số quan trọng cho chuyển đổi số của thủ đô.",
    },
    {
        "url": DAKNONG, "source": "mst", "lang": "vi", "published_at": "2026-09-06T09:00:00",
        "title": "Đắk Nông xây dựng phòng thí nghiệm vi mạch bán dẫn",
        "summary": "Khu vực Đắk Nông cũ có phòng thí nghiệm vi mạch đầu tiên.",
        "text": "Tại Đắk Nông, một phòng thí nghiệm thiết kế vi mạch bán dẫn được khánh thành. "
        "Phòng thí nghiệm bán dẫn ở Đắk Nông đào tạo kỹ sư thiết kế chip cho các doanh nghiệp "
        "công nghệ cao trong khu vực.",
    },
    {
        "url": FOOTBALL, "source": "baochinhphu", "lang": "vi", "published_at": "2026-09-07T09:00:00",
        "title": "Khai mạc giải bóng đá thiếu niên toàn quốc",
        "summary": "Giải bóng đá thiếu niên quy tụ 16 đội.",
        "text": "Giải bóng đá thiếu niên toàn quốc khai mạc với 16 đội bóng tham dự. Các trận đấu "
        "diễn ra trong hai tuần trên sân vận động của thành phố.",
    },
    {
        "url": UNDATED, "source": "mst", "lang": "vi",
        "title": "Bộ Khoa học và Công nghệ công bố chiến lược chuyển đổi số",
        "text": "Bộ Khoa học và Công nghệ công bố chiến lược chuyển đổi số giai đoạn mới, tập "
        "trung vào hạ tầng số, dữ liệu mở và kỹ năng số cho người dân.",
    },
]  # fmt: skip


def build_archive(url: str, records: list[dict[str, Any]] | None = None) -> dict[str, int]:
    """Import ``records`` (default :data:`RECORDS`) into the archive at ``url``; article ids
    by URL."""
    engine = open_archive(url)
    try:
        sessions = session_factory(engine)
        lines = [json.dumps(r, ensure_ascii=False) for r in records or RECORDS]
        report = import_lines(lines, sessions)
        assert report.ok, report.bad_lines
        with sessions() as session:
            return {a.url: a.id for a in session.scalars(select(Article)).all()}
    finally:
        engine.dispose()


def add_article(url: str, record: dict[str, Any], tags: dict[str, Any] | None = None) -> int:
    """Store one raw record straight into the archive (no pipeline: nothing cleans it) with
    these tags; returns its id."""
    data = {
        "canonical_url": record["url"], "source": "hostile", "summary": None, "text": None,
        "body_html": None, "lang": "vi", "fetched_at": datetime(2026, 9, 8, tzinfo=UTC), **record,
    }  # fmt: skip
    data.setdefault("content_hash", hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest())
    engine = open_archive(url)
    try:
        with session_factory(engine)() as session:
            ensure_source(session, key=data["source"], name=data["source"], host="example.vn",
                          spider="import")  # fmt: skip
            article_id = store_article(session, data).article_id
            if tags is not None:
                article = session.get(Article, article_id)
                assert article is not None
                set_tags(session, article, tags)
            session.commit()
            return article_id
    finally:
        engine.dispose()


LAM_DONG_TAGS = {
    "primary_province": "lam-dong", "relevant": True, "version": "test",
    "provinces": [{"slug": "lam-dong", "code": 68, "name": "Lâm Đồng", "role": "primary"}],
    "topics": [{"slug": "digital-transformation", "score": 5.0}],
}  # fmt: skip
