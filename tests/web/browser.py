"""Browser-test helpers for the browse pages: a seeded archive, the real app served by uvicorn
on 127.0.0.1 (in a thread, so a test can patch a module constant such as the page size), and
a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's Python package.

Playwright's wheel carries its own driver; no browser is downloaded: ``executable_path``
points at the system Chromium, started with the flags this sandbox needs (no sandbox as root,
no GPU, no background networking to hosts it cannot reach) and a fresh profile directory.

The archive is filled through the real pipeline (``import_lines``: normalize, tag, dedup,
store), so provinces, topics and stories on the pages are what the tagger and the dedup stage
decided, not hand-written rows. Texts are our own.

Import the fixtures into a test module: ``from tests.web.browser import page_fixture, ...``
(each registers the fixture named without ``_fixture``).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}

# --- the archive ----------------------------------------------------------------------------

SOURCES = (
    # key, name, host, spider, lang, province
    ("mst", "Bộ Khoa học và Công nghệ (mst.gov.vn)", "mst.gov.vn", "mst", "vi", None),
    ("baochinhphu", "Báo Điện tử Chính phủ (baochinhphu.vn)", "baochinhphu.vn", "baochinhphu", "vi", None),
    ("vietnamvn", "Vietnam.vn", "www.vietnam.vn", "vietnamvn", None, None),
    ("baolamdong", "Báo Lâm Đồng (baolamdong.vn)", "baolamdong.vn", "baolamdong", "vi", "lam-dong"),
    ("laichau", "Cổng thông tin điện tử tỉnh Lai Châu (laichau.gov.vn)", "laichau.gov.vn", "laichau", "vi", "lai-chau"),
)  # fmt: skip

THAI_NGUYEN_TEXT = (
    "Sở Khoa học và Công nghệ tỉnh Thái Nguyên vừa đưa vào vận hành nền tảng số quản lý hợp tác "
    "xã, giúp hơn bốn trăm hợp tác xã nông nghiệp cập nhật sổ sách, hợp đồng và sản lượng trực "
    "tuyến.\n\nTheo lãnh đạo Sở, chuyển đổi số trong khu vực kinh tế tập thể giúp cơ quan quản lý "
    "nắm được tình hình sản xuất theo thời gian thực và rút ngắn thời gian xử lý hồ sơ vay vốn.\n\n"
    "Trong giai đoạn tiếp theo, tỉnh Thái Nguyên sẽ kết nối nền tảng với cơ sở dữ liệu đất đai và "
    "hệ thống truy xuất nguồn gốc nông sản."
)

# name -> import record (published_at is Vietnam time); the order is the import order.
RECORDS: dict[str, dict[str, Any]] = {
    "tn_original": {
        "source": "mst",
        "url": "https://mst.gov.vn/thai-nguyen-dua-nen-tang-so-vao-quan-ly-hop-tac-xa.htm",
        "title": "Thái Nguyên đưa nền tảng số vào quản lý hợp tác xã",
        "summary": "Hơn bốn trăm hợp tác xã ở Thái Nguyên quản lý sổ sách trên nền tảng số.",
        "text": THAI_NGUYEN_TEXT,
        "lang": "vi",
        "published_at": "2025-09-10T08:00:00",
    },
    "tn_copy": {
        "source": "baochinhphu",
        "url": "https://baochinhphu.vn/thai-nguyen-dua-nen-tang-so-vao-quan-ly-hop-tac-xa-102250910.htm",
        "title": "Thái Nguyên đưa nền tảng số vào quản lý hợp tác xã",
        "summary": "Hơn bốn trăm hợp tác xã ở Thái Nguyên quản lý sổ sách trên nền tảng số.",
        "text": THAI_NGUYEN_TEXT + "\n\nNguồn: Bộ Khoa học và Công nghệ",
        "lang": "vi",
        "published_at": "2025-09-10T15:30:00",
        "credited_url": "https://mst.gov.vn/thai-nguyen-dua-nen-tang-so-vao-quan-ly-hop-tac-xa.htm",
        "credited_outlet": "Bộ Khoa học và Công nghệ",
    },
    "tn_english": {
        "source": "vietnamvn",
        "url": "https://www.vietnam.vn/en/thai-nguyen-puts-cooperatives-on-a-digital-platform",
        "title": "Thai Nguyen puts its cooperatives on a digital platform",
        "summary": "More than four hundred farm cooperatives in Thai Nguyen now keep their books online.",
        "text": (
            "The Department of Science and Technology of Thai Nguyen province has launched a "
            "digital platform for managing cooperatives, letting more than four hundred farm "
            "cooperatives keep their books, contracts and output online.\n\nDigital "
            "transformation of the collective economy lets officials follow production in real "
            "time and shortens the handling of loan applications."
        ),
        "lang": "en",
        "published_at": "2025-09-11T09:00:00",
        "alternates": {
            "vi": "https://mst.gov.vn/thai-nguyen-dua-nen-tang-so-vao-quan-ly-hop-tac-xa.htm"
        },
        "credited_url": "https://mst.gov.vn/thai-nguyen-dua-nen-tang-so-vao-quan-ly-hop-tac-xa.htm",
    },
    "lam_dong_ai": {
        "source": "baolamdong",
        "url": "https://baolamdong.vn/lam-dong-dung-tri-tue-nhan-tao-du-bao-sau-benh-ca-phe.html",
        "title": "Lâm Đồng dùng trí tuệ nhân tạo dự báo sâu bệnh trên cây cà phê",
        "summary": "Mô hình trí tuệ nhân tạo đọc ảnh lá cà phê và cảnh báo sớm bệnh gỉ sắt cho nông dân.",
        "text": (
            "Trung tâm Ứng dụng khoa học tỉnh Lâm Đồng thử nghiệm mô hình trí tuệ nhân tạo nhận "
            "diện bệnh gỉ sắt qua ảnh chụp lá cà phê bằng điện thoại.\n\nSau ba tháng, mô hình "
            "AI cảnh báo đúng phần lớn các ổ bệnh, giúp nông dân ở Di Linh và Bảo Lộc phun thuốc "
            "đúng lúc và giảm chi phí."
        ),
        "lang": "vi",
        "published_at": "2025-09-05T10:00:00",
    },
    "lai_chau_5g": {
        "source": "laichau",
        "url": "https://laichau.gov.vn/tin-tuc-su-kien/phu-song-5g-den-trung-tam-cac-xa.html",
        "title": "Lai Châu phủ sóng 5G đến trung tâm các xã vùng cao",
        "summary": "Hạ tầng số được mở rộng, trạm phát sóng 5G đầu tiên hoạt động ở Mường Tè.",
        "text": (
            "Các doanh nghiệp viễn thông đã lắp đặt trạm phát sóng 5G tại trung tâm nhiều xã vùng "
            "cao của tỉnh Lai Châu, đưa băng rộng di động tới trường học và trạm y tế.\n\nỦy ban "
            "nhân dân tỉnh yêu cầu hoàn thành hạ tầng số cho mọi xã trước cuối năm."
        ),
        "lang": "vi",
        "published_at": "2025-08-20T07:45:00",
    },
    "ha_noi_chips": {
        "source": "mst",
        "url": "https://mst.gov.vn/ha-noi-dao-tao-ky-su-thiet-ke-vi-mach.htm",
        "title": "Hà Nội đào tạo kỹ sư thiết kế vi mạch bán dẫn",
        "summary": "Thành phố Hà Nội đặt hàng các trường đại học đào tạo kỹ sư thiết kế chip.",
        "text": (
            "Thành phố Hà Nội phối hợp với các trường đại học kỹ thuật mở chương trình đào tạo kỹ "
            "sư thiết kế vi mạch bán dẫn, kèm học bổng và chỗ thực tập tại doanh nghiệp.\n\nNgành "
            "công nghiệp bán dẫn được xác định là ưu tiên trong chiến lược phát triển khoa học và "
            "công nghệ của Thủ đô."
        ),
        "lang": "vi",
        "published_at": "2025-07-15T14:00:00",
    },
    "bac_kan_tea": {
        "source": "baochinhphu",
        "url": "https://baochinhphu.vn/che-bac-kan-cu-so-hoa-ho-so-san-xuat-102250901.htm",
        "title": "Hợp tác xã chè ở Bắc Kạn (cũ) chuyển đổi số hồ sơ sản xuất",
        "summary": "Các hợp tác xã chè ở huyện Chợ Đồn dùng mã QR để truy xuất nguồn gốc.",
        "text": (
            "Các hợp tác xã chè ở huyện Chợ Đồn, tỉnh Bắc Kạn (cũ) đã chuyển đổi số toàn bộ hồ sơ "
            "sản xuất và gắn mã QR truy xuất nguồn gốc lên từng gói chè.\n\nNgười mua quét mã để "
            "xem vùng trồng, ngày thu hái và chứng nhận của sản phẩm."
        ),
        "lang": "vi",
        "published_at": "2025-09-01T09:15:00",
    },
    "off_topic": {
        "source": "mst",
        "url": "https://mst.gov.vn/giai-bong-da-thieu-nien-da-nang.htm",
        "title": "Giải bóng đá thiếu niên Đà Nẵng khép lại sau hai tuần",
        "summary": "Đội tuyển phường Hải Châu giành cúp vô địch trước đông đảo khán giả.",
        "text": (
            "Trận chung kết giải bóng đá thiếu niên thành phố Đà Nẵng diễn ra sôi nổi trên sân "
            "Chi Lăng, đội Hải Châu thắng với tỉ số hai một.\n\nBan tổ chức trao giải phong cách "
            "cho đội bạn và hẹn gặp lại vào mùa hè năm sau."
        ),
        "lang": "vi",
        "published_at": "2025-09-12T18:00:00",
    },
    "xss": {
        "source": "baochinhphu",
        "url": "https://baochinhphu.vn/can-tho-chuyen-doi-so-cho-noi-102250601.htm",
        "title": (
            "<script>window.__xss='title'</script>Cần Thơ chuyển đổi số chợ nổi "
            "<img src=x onerror=\"window.__xss='title-img'\">"
        ),
        "summary": (
            "Tiểu thương <a href=\"javascript:window.__xss='summary'\">bấm vào đây</a> "
            "<b onmouseover=\"window.__xss='summary-b'\">thanh toán không dùng tiền mặt</b>."
        ),
        "text": (
            "Thành phố Cần Thơ đưa thanh toán không dùng tiền mặt và chuyển đổi số tới các tiểu "
            "thương ở chợ nổi Cái Răng.\n\n<script>window.__xss='text'</script> Tiểu thương "
            "dùng mã QR để nhận tiền của du khách."
        ),
        "lang": "vi",
        "published_at": "2025-06-01T08:00:00",
    },
}

# Written straight into the archive after import, as a tool that bypassed the sanitizer would:
# the page must still not run any of it.
XSS_BODY_HTML = (
    "<p>Đoạn mở đầu về chợ nổi.</p>"
    "<script>window.__xss='body-script'</script>"
    "<p onclick=\"window.__xss='body-onclick'\" onmouseover=\"window.__xss='body-hover'\">Đoạn hai</p>"
    '<a id="jslink" href="javascript:window.__xss=\'body-href\'">liên kết</a>'
    '<img src="data:,x" onerror="window.__xss=\'body-img\'">'
    "<svg><script>window.__xss='svg'</script><a xlink:href=\"javascript:window.__xss='svg-a'\">x</a></svg>"
    "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>"
    "<form action=\"javascript:window.__xss='form'\"><button>gửi</button></form>"
    "<p>Malformed <b><i>unclosed <scr<script>ipt>window.__xss='split'</script> "
    "<div style=\"background:url(javascript:window.__xss='css')\">x</div>"
    "<a href=\"  JaVaScRiPt:window.__xss='mixed-case'\">y</a>"
    "<object data=\"javascript:window.__xss='object'\"></object>"
)
XSS_URL = "javascript:window.__xss='url'"


@dataclass
class SeededArchive:
    """The test archive: its URL and each record's article id."""

    url: str
    ids: dict[str, int]
    sessions: Any

    def record(self, name: str) -> dict[str, Any]:
        return RECORDS[name]


def seed_archive(path: Path) -> SeededArchive:
    """A SQLite archive at ``path`` with :data:`RECORDS` imported through the real pipeline."""
    from sqlalchemy import update

    from crawler.dedup.urls import canonical_url
    from crawler.importer import import_lines
    from storage.articles import article_for_url
    from storage.engine import open_archive, session_factory
    from storage.models import Article
    from storage.sources import ensure_source

    url = f"sqlite:///{path}"
    sessions = session_factory(open_archive(url))
    with sessions() as session:
        for key, name, host, spider, lang, province in SOURCES:
            ensure_source(session, key=key, name=name, host=host, spider=spider, lang=lang,
                          province=province)  # fmt: skip
        session.commit()
    lines = [json.dumps(record, ensure_ascii=False) for record in RECORDS.values()]
    report = import_lines(lines, sessions)
    assert report.ok, report.bad_lines
    ids: dict[str, int] = {}
    with sessions() as session:
        for name, record in RECORDS.items():
            article_id = article_for_url(session, canonical_url(record["url"]))
            assert article_id is not None, name
            ids[name] = article_id
        session.execute(
            update(Article)
            .where(Article.id == ids["xss"])
            .values(body_html=XSS_BODY_HTML, url=XSS_URL)
        )
        session.commit()
    return SeededArchive(url, ids, sessions)


# --- the server -----------------------------------------------------------------------------


class ServedApp:
    """``web.app.create_app(settings)`` served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, database_url: str, **settings: Any) -> None:
        import uvicorn

        from web.app import create_app
        from web.config import Settings

        self.app = create_app(Settings(database_url=database_url, **settings))
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> ServedApp:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()

    def url(self, path: str) -> str:
        return self.base_url + path


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="archive")
def archive_fixture(tmp_path_factory: pytest.TempPathFactory) -> SeededArchive:
    return seed_archive(tmp_path_factory.mktemp("pages-archive") / "vnnews.sqlite3")


@pytest.fixture(scope="module", name="served")
def served_fixture(archive: SeededArchive) -> Iterator[ServedApp]:
    with ServedApp(archive.url) as served_app:
        yield served_app


@pytest.fixture(scope="module", name="browser")
def browser_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Chromium browser context with a new profile directory (Playwright, system Chromium)."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class PageWatch:
    """What a page did besides rendering: dialogs it opened, console messages it logged."""

    dialogs: list[str]
    console: list[str]
    errors: list[str]


@pytest.fixture(name="page")
def page_fixture(browser: Any) -> Iterator[Any]:
    """A fresh tab; dialogs are recorded and dismissed, console output kept on ``page.watch``."""
    tab = browser.new_page()
    watch = PageWatch([], [], [])

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("console", lambda msg: watch.console.append(f"{msg.type}: {msg.text}"))
    tab.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    tab.watch = watch
    try:
        yield tab
    finally:
        tab.close()
