"""A small fixture site the scheduler tests write as they go: :meth:`TinySite.publish` adds
articles and rewrites the feed, so one source keeps having new articles and another none.

The text is our own: short Vietnamese reports on plausible science and technology news, made
distinct per article (number, place, topic) so each one is a new article of its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

TOPICS = (
    ("trạm quan trắc không khí", "đo bụi mịn và gửi số liệu về trung tâm điều hành mỗi năm phút"),
    ("nền tảng học trực tuyến", "giúp học sinh vùng cao xem lại bài giảng khi mạng chập chờn"),
    ("hệ thống cảnh báo lũ quét", "tự động nhắn tin cho người dân khi mực nước suối dâng nhanh"),
    ("phòng thí nghiệm vi mạch", "cho sinh viên thiết kế và thử nghiệm chip trên bảng mạch thật"),
    ("kho dữ liệu đất đai số", "cho phép tra cứu thửa đất bằng bản đồ trên điện thoại"),
    ("mạng cảm biến độ ẩm", "giúp hợp tác xã tưới cà phê đúng lúc và tiết kiệm nước"),
)
PLACES = ("Lâm Đồng", "Lai Châu", "Cần Thơ", "Đà Nẵng", "Thái Nguyên", "Quảng Ninh", "Huế")

ROBOTS = "User-agent: *\nDisallow: /tim-kiem/\n"
FEED_PATH = "/rss/moi.xml"
ARTICLE_PATTERN = r"^/bai/[a-z0-9-]+-\d{4}\.html$"


class TinySite:
    """``root/<host>/``: robots.txt, an Atom feed of every article, and the articles."""

    def __init__(self, root: Path, key: str, name: str):
        self.key = key
        self.name = name
        self.host = f"{key}.test"
        self.dir = root / self.host
        self.count = 0
        (self.dir / "bai").mkdir(parents=True, exist_ok=True)
        (self.dir / "rss").mkdir(exist_ok=True)
        (self.dir / "robots.txt").write_text(ROBOTS, encoding="utf-8")
        self._write_feed()

    @property
    def feed_url(self) -> str:
        return f"https://{self.host}{FEED_PATH}"

    def entry(self) -> str:
        """The site's ``[[site]]`` entry for the user's sites file."""
        return (
            f'[[site]]\nkey = "{self.key}"\nname = "{self.name}"\nhost = "{self.host}"\n'
            f"lang = \"vi\"\narticle_pattern = '{ARTICLE_PATTERN}'\n"
            f'feeds = ["{self.feed_url}"]\nverified = true\n'
        )

    def hang(self, path: str = FEED_PATH) -> None:
        """Make ``path`` never answer (the devserver's ``hang``): a crawl of the site then
        hangs on it."""
        (self.dir / "_behaviours.json").write_text(
            json.dumps({path: {"hang": True}}), encoding="utf-8"
        )

    def publish(self, n: int = 1) -> list[str]:
        """Add ``n`` articles (newest last) and rewrite the feed; their URLs."""
        urls = []
        for _ in range(n):
            self.count += 1
            urls.append(self._write_article(self.count))
        self._write_feed()
        return urls

    # -- pages ----------------------------------------------------------------------------

    def _article(self, number: int) -> tuple[str, str, str, str, datetime]:
        topic, use = TOPICS[number % len(TOPICS)]
        place = PLACES[number % len(PLACES)]
        slug = f"{self.key}-tin-so-{number}-{number:04d}"
        title = f"{place} đưa {topic} số {number} vào vận hành"
        lead = f"Tỉnh {place} vừa đưa {topic} thứ {number} vào vận hành, {use}."
        published = datetime(2026, 11, 1, 8, tzinfo=UTC) + timedelta(hours=number)
        return f"/bai/{slug}.html", title, lead, use, published

    def _write_article(self, number: int) -> str:
        path, title, lead, use, published = self._article(number)
        body = (
            f"<p>{escape(lead)}</p>\n"
            f"<p>Theo đơn vị triển khai, công trình số {number} được xây dựng trong "
            f"{number + 3} tháng với kinh phí từ chương trình chuyển đổi số của địa phương. "
            f"Cán bộ kỹ thuật đã được tập huấn để vận hành và bảo trì thiết bị.</p>\n"
            f"<p>Trong giai đoạn tiếp theo, tỉnh dự kiến mở rộng mô hình ra {number + 5} xã, "
            f"ưu tiên những nơi người dân cần {escape(use)}.</p>\n"
        )
        url = f"https://{self.host}{path}"
        html = (
            '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)} | {escape(self.name)}</title>\n"
            f'<meta name="description" content="{escape(lead)}">\n'
            f'<meta property="og:title" content="{escape(title)}">\n'
            f'<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{published.isoformat()}">\n'
            f'<link rel="canonical" href="{url}">\n</head>\n<body>\n'
            f'<main class="wrap"><article>\n<h1>{escape(title)}</h1>\n'
            f'<time datetime="{published.isoformat()}">{published:%d/%m/%Y %H:%M}</time>\n'
            f'<div class="noi-dung">\n{body}</div>\n</article></main>\n</body>\n</html>\n'
        )
        (self.dir / path.lstrip("/")).write_text(html, encoding="utf-8")
        return url

    def _write_feed(self) -> None:
        entries = []
        for number in range(self.count, 0, -1):
            path, title, lead, _, published = self._article(number)
            url = f"https://{self.host}{path}"
            entries.append(
                f"  <entry>\n    <title>{escape(title)}</title>\n"
                f'    <link rel="alternate" href="{url}"/>\n    <id>{url}</id>\n'
                f"    <published>{published.isoformat()}</published>\n"
                f"    <summary>{escape(lead)}</summary>\n  </entry>\n"
            )
        feed = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <title>{escape(self.name)}</title>\n  <id>https://{self.host}/</id>\n"
            f"  <updated>2026-11-01T08:00:00+00:00</updated>\n{''.join(entries)}</feed>\n"
        )
        # Written whole, then renamed: the server never serves half a feed.
        tmp = self.dir / "rss" / "_moi.xml.tmp"
        tmp.write_text(feed, encoding="utf-8")
        tmp.replace(self.dir / FEED_PATH.lstrip("/"))
