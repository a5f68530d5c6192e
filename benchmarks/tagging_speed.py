"""Tagging throughput: articles per second on 5 KB texts, one core.

Each article is about 5 KB of Vietnamese news text (our own sentences about science,
technology and digital transformation in the provinces, shuffled per article so no two texts are
the same) with a title. Province tagging always runs; topic tagging too when
crawler/tagging/topics.py is there. The measurement repeats the article set until at least
``--seconds`` have passed. The last line printed is one JSON object:
{"articles_per_s", "text_kb", "n", "provinces_per_s", "topics": bool}.

    .venv/bin/python benchmarks/tagging_speed.py [--seconds 3] [--articles 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.tagging.provinces import tag_provinces  # noqa: E402

try:  # written by another part of issue 4; measured once it exists
    from crawler.tagging.topics import tag_topics  # noqa: E402
except ImportError:  # pragma: no cover - depends on the tree
    tag_topics = None

TEXT_KB = 5

TITLES = [
    "Lâm Đồng vận hành mạng lưới cảm biến cho vùng cà phê",
    "TP.HCM thí điểm trợ lý ảo cho cán bộ phường",
    "Lai Châu đưa nền tảng chính quyền số dùng chung vào hoạt động",
    "Hội nghị toàn quốc sơ kết một năm thực hiện Nghị quyết 57",
    "Thái Nguyên mở phòng thử nghiệm linh kiện điện tử",
    "Đà Nẵng và Quảng Ngãi hợp tác đào tạo kỹ sư bán dẫn",
]

# Our own sentences, in the style of provincial and national S&T news.
SENTENCES = [
    "Sở Khoa học và Công nghệ tỉnh Lâm Đồng vừa đưa vào vận hành hơn 400 trạm cảm biến đo độ ẩm đất và lượng mưa.",
    "Dữ liệu từ các trạm được truyền về nền tảng nông nghiệp số của tỉnh mười lăm phút một lần.",
    "Nông dân ở Bảo Lộc và Di Linh nhận cảnh báo tưới tiêu qua ứng dụng trên điện thoại.",
    "Theo UBND tỉnh, năm 2026 mạng lưới sẽ được mở rộng sang các vùng trồng rau và hoa công nghệ cao.",
    "Sáng 12/3, tại Hà Nội, Bộ Khoa học và Công nghệ tổ chức hội nghị trực tuyến với các địa phương.",
    "Dự hội nghị tại điểm cầu tỉnh Lai Châu có lãnh đạo Sở Khoa học và Công nghệ và Trung tâm Chuyển đổi số.",
    "Bộ trưởng đề nghị các địa phương đẩy nhanh số hóa hồ sơ và kết nối cơ sở dữ liệu quốc gia về dân cư.",
    "TP.HCM đã triển khai trợ lý ảo hỗ trợ cán bộ phường tra cứu văn bản và trả lời người dân.",
    "Đoàn công tác tỉnh Đồng Nai đã đến học tập mô hình trung tâm điều hành thông minh của thành phố.",
    "Sinh viên Đại học Đà Nẵng tham gia nhóm phát triển phần mềm nhận dạng tiếng nói cho dịch vụ công.",
    "Tỉnh Bắc Kạn cũ nay thuộc Thái Nguyên đã phủ sóng 4G đến 98% số thôn vùng cao.",
    "Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ thử nghiệm sản phẩm tại khu công nghệ cao.",
    "Phòng thử nghiệm đạt chuẩn ISO/IEC 17025 giúp doanh nghiệp rút ngắn thời gian chứng nhận sản phẩm.",
    "Tư tưởng Hồ Chí Minh về khoa học và giáo dục được nhắc lại trong phát biểu khai mạc.",
    "Chương trình hướng tới đào tạo 5.000 kỹ sư thiết kế vi mạch đến năm 2030.",
    "Quảng Ngãi bố trí 20 ha đất cho nhà máy đóng gói chip trong khu kinh tế Dung Quất.",
    "Cổng dịch vụ công của tỉnh đã tiếp nhận hơn 120.000 hồ sơ trực tuyến toàn trình trong quý I.",
    "Lãnh đạo tỉnh Hoà Bình cũ, nay thuộc Phú Thọ, cho biết dữ liệu đất đai đã được hợp nhất.",
    "Các chuyên gia khuyến nghị tăng đầu tư cho an ninh mạng và bảo vệ dữ liệu cá nhân.",
    "Mô hình được đánh giá có thể nhân rộng ra các tỉnh miền núi phía Bắc trong năm tới.",
    "Hòa bình và ổn định là điều kiện để thu hút đầu tư công nghệ, theo ý kiến tại tọa đàm.",
    "Nhà mạng đã lắp thêm 40 trạm phát sóng, nâng tốc độ truy cập trung bình lên 60 Mbps.",
]


def make_articles(count: int, seed: int = 57) -> list[tuple[str, str]]:
    """``count`` (title, text) pairs of about TEXT_KB kilobytes of UTF-8 text each."""
    rng = random.Random(seed)
    articles = []
    target = TEXT_KB * 1024
    for _ in range(count):
        paragraphs, size = [], 0
        while size < target:
            paragraph = " ".join(rng.sample(SENTENCES, 4))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
        text = "\n".join(paragraphs)
        text = text.encode("utf-8")[:target].decode("utf-8", "ignore")
        articles.append((rng.choice(TITLES), text))
    return articles


def run(articles: list[tuple[str, str]], seconds: float, topics: bool) -> tuple[float, int]:
    done, start = 0, time.perf_counter()
    while True:
        for title, text in articles:
            tag_provinces(title, text, "https://vnexpress.net/a.html", "vi")
            if topics:
                tag_topics(title, text, "vi")
        done += len(articles)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    articles = make_articles(args.articles)
    # warm up: load the gazetteer, build the automaton, compile the taxonomy
    run(articles[:2], 0.0, topics=tag_topics is not None)
    provinces_per_s, _ = run(articles, args.seconds, topics=False)
    print(f"provinces only: {provinces_per_s:.0f} articles/s", file=sys.stderr)
    per_s, n = run(articles, args.seconds, topics=tag_topics is not None)
    result = {
        "articles_per_s": round(per_s, 1),
        "text_kb": TEXT_KB,
        "n": n,
        "provinces_per_s": round(provinces_per_s, 1),
        "topics": tag_topics is not None,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
