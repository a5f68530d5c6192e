"""Development examples for the dedup tests: our own text, two stories and their hard negatives.

Story ``ai-tasks``: a ministry report (vi), a verbatim republication with another outlet's
prefix, author and credit lines, a newspaper's lightly edited copy, and machine-style
translations into English, Russian and French without credit links.
Story ``sensors``: a provincial paper's report (vi) and its English translation.
Hard negatives: a newspaper's own interview piece after the same conference (vi), an English
outlet's own analysis of it, and another province's similar sensor programme with its own
English translation (story ``tea``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Doc:
    id: str
    story: str
    lang: str
    title: str
    summary: str | None
    text: str
    published_at: datetime | None


def _at(day: int, hour: int = 3) -> datetime:
    return datetime(2026, 9, day, hour, 0, tzinfo=UTC)


AI_VI_PARAGRAPHS = [
    "Phát biểu khai mạc, Thứ trưởng Bùi Thế Duy cho biết danh mục được xây dựng theo Nghị quyết "
    "57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
    "chuyển đổi số quốc gia, cùng Quyết định 1131/QĐ-TTg của Thủ tướng Chính phủ về danh mục "
    "công nghệ chiến lược.",
    "Theo Thứ trưởng, trong số 25 nhiệm vụ có 9 nhiệm vụ về mô hình ngôn ngữ lớn tiếng Việt, 7 "
    "nhiệm vụ về thị giác máy tính cho nông nghiệp và y tế, còn lại tập trung vào hạ tầng tính "
    "toán hiệu năng cao. Mỗi nhiệm vụ được thực hiện tối đa 36 tháng.",
    "Đáng chú ý, 60% kinh phí sẽ được phân bổ qua cơ chế khoán chi đến sản phẩm cuối cùng, tăng "
    "15 điểm phần trăm so với giai đoạn 2021-2025. Các tổ chức chủ trì phải cam kết chia sẻ ít "
    "nhất 30% dữ liệu huấn luyện lên Nền tảng dữ liệu mở quốc gia tại địa chỉ data.gov.vn.",
    "Hồ sơ đăng ký được tiếp nhận trực tuyến từ ngày 15/9 đến hết ngày 31/10/2026 qua Cổng dịch "
    "vụ công của Bộ. Hội đồng tuyển chọn dự kiến công bố kết quả trong tháng 12/2026.",
    "Tại hội nghị, đại diện Viện Hàn lâm Khoa học và Công nghệ Việt Nam, Đại học Quốc gia Hà Nội "
    "và Tập đoàn Viettel đã ký biên bản ghi nhớ hợp tác về chia sẻ năng lực tính toán, với tổng "
    "công suất ban đầu 12,8 petaflops.",
]
AI_VI_LEAD = (
    "Ngày 05/09/2026, tại Hà Nội, Bộ Khoa học và Công nghệ tổ chức hội nghị công bố danh mục 25 "
    "nhiệm vụ khoa học và công nghệ trọng điểm về trí tuệ nhân tạo, với tổng kinh phí dự kiến "
    "1.250 tỷ đồng."
)

AI_ORIGINAL = Doc(
    "ai-vi", "ai-tasks", "vi",
    "Bộ Khoa học và Công nghệ công bố 25 nhiệm vụ trọng điểm về trí tuệ nhân tạo năm 2026",
    "(MST) - " + AI_VI_LEAD,
    "\n\n".join([*AI_VI_PARAGRAPHS, "Phòng Truyền thông"]),
    _at(5, 2),
)  # fmt: skip
# The same text on another site: its own title, prefix, author and credit; the sapo printed
# as the first paragraph instead of a summary.
AI_REPUBLISHED = Doc(
    "ai-vi-copy", "ai-tasks", "vi",
    "25 nhiệm vụ trọng điểm về AI được công bố, kinh phí 1.250 tỷ đồng",
    None,
    "\n\n".join(["(Chinhphu.vn) - " + AI_VI_LEAD, *AI_VI_PARAGRAPHS, "Thu Hằng",
                 "Nguồn: https://mst.gov.vn/cong-bo-25-nhiem-vu-ai-197260905093000123.htm"]),
    _at(5, 6),
)  # fmt: skip
# A newspaper's light edit: new lead, a paragraph reworded, one dropped, "Theo" credit.
AI_EDITED = Doc(
    "ai-vi-edited", "ai-tasks", "vi",
    "Công bố 25 nhiệm vụ AI trọng điểm, tổng kinh phí 1.250 tỷ đồng",
    "HÀ NỘI - Sáng 5/9, Bộ Khoa học và Công nghệ đã công bố 25 nhiệm vụ trọng điểm về trí tuệ "
    "nhân tạo, tổng kinh phí khoảng 1.250 tỷ đồng.",
    "\n\n".join([
        AI_VI_PARAGRAPHS[0].replace("Thứ trưởng Bùi Thế Duy", "Thứ trưởng Bộ KH&CN Bùi Thế Duy"),
        "Trong 25 nhiệm vụ có 9 nhiệm vụ về mô hình ngôn ngữ lớn tiếng Việt và 7 nhiệm vụ về thị "
        "giác máy tính cho nông nghiệp, y tế; các nhiệm vụ còn lại tập trung vào hạ tầng tính "
        "toán hiệu năng cao. Thời gian thực hiện mỗi nhiệm vụ không quá 36 tháng.",
        AI_VI_PARAGRAPHS[2],
        AI_VI_PARAGRAPHS[4],
        "Theo MST",
    ]),
    _at(5, 9),
)  # fmt: skip
AI_EN = Doc(
    "ai-en", "ai-tasks", "en",
    "Ministry of Science and Technology announces 25 key artificial intelligence tasks for 2026",
    "On September 5, 2026, in Hanoi, the Ministry of Science and Technology held a conference to "
    "announce a list of 25 key science and technology tasks on artificial intelligence, with a "
    "total estimated budget of VND 1,250 billion.",
    "\n\n".join([
        "Speaking at the opening, Deputy Minister Bui The Duy said the list was developed in line "
        "with Resolution 57-NQ/TW of the Politburo on breakthroughs in science, technology, "
        "innovation and national digital transformation, and Decision 1131/QD-TTg of the Prime "
        "Minister on the list of strategic technologies.",
        "According to the Deputy Minister, of the 25 tasks, 9 concern large Vietnamese language "
        "models, 7 concern computer vision for agriculture and healthcare, and the rest focus on "
        "high-performance computing infrastructure. Each task will be carried out for a maximum "
        "of 36 months.",
        "Notably, 60% of the funding will be allocated through a lump-sum mechanism tied to final "
        "products, an increase of 15 percentage points compared with the 2021-2025 period. Lead "
        "organisations must commit to sharing at least 30% of their training data on the "
        "National Open Data Platform at data.gov.vn.",
        "Applications will be accepted online from September 15 to October 31, 2026 via the "
        "Ministry's public service portal. The selection council is expected to announce the "
        "results in December 2026.",
        "At the conference, representatives of the Vietnam Academy of Science and Technology, "
        "Vietnam National University, Hanoi and Viettel Group signed a memorandum of "
        "understanding on sharing computing capacity, with an initial total capacity of 12.8 "
        "petaflops.",
    ]),
    _at(6, 1),
)  # fmt: skip
AI_RU = Doc(
    "ai-ru", "ai-tasks", "ru",
    "Министерство науки и технологий объявило 25 ключевых задач в области искусственного "
    "интеллекта на 2026 год",
    "5 сентября 2026 года в Ханое Министерство науки и технологий провело конференцию, на которой "
    "объявило перечень из 25 ключевых научно-технических задач в области искусственного "
    "интеллекта с общим предполагаемым бюджетом 1 250 млрд донгов.",
    "\n\n".join([
        "Выступая на открытии, заместитель министра Буй Тхе Зуй сообщил, что перечень составлен в "
        "соответствии с Резолюцией 57-NQ/TW Политбюро о прорыве в развитии науки, технологий, "
        "инноваций и национальной цифровой трансформации, а также Решением 1131/QD-TTg "
        "премьер-министра о перечне стратегических технологий.",
        "По словам заместителя министра, из 25 задач 9 касаются больших языковых моделей "
        "вьетнамского языка, 7 — компьютерного зрения для сельского хозяйства и здравоохранения, "
        "остальные посвящены инфраструктуре высокопроизводительных вычислений. Каждая задача "
        "будет выполняться не более 36 месяцев.",
        "Примечательно, что 60% средств будет распределяться по механизму финансирования под "
        "конечный результат, что на 15 процентных пунктов больше, чем в период 2021–2025 годов. "
        "Головные организации обязаны предоставить не менее 30% обучающих данных на "
        "Национальную платформу открытых данных по адресу data.gov.vn.",
        "Заявки принимаются онлайн с 15 сентября по 31 октября 2026 года через портал "
        "государственных услуг министерства. Отборочный совет планирует объявить результаты в "
        "декабре 2026 года.",
        "На конференции представители Вьетнамской академии наук и технологий, Вьетнамского "
        "национального университета в Ханое и группы Viettel подписали меморандум о "
        "взаимопонимании по совместному использованию вычислительных мощностей с первоначальной "
        "общей мощностью 12,8 петафлопс.",
    ]),
    _at(6, 2),
)  # fmt: skip
AI_FR = Doc(
    "ai-fr", "ai-tasks", "fr",
    "Le ministère de la Science et de la Technologie annonce 25 missions clés sur "
    "l'intelligence artificielle pour 2026",
    "Le 5 septembre 2026, à Hanoï, le ministère de la Science et de la Technologie a organisé "
    "une conférence pour annoncer une liste de 25 missions scientifiques et technologiques clés "
    "consacrées à l'intelligence artificielle, pour un budget total estimé à 1 250 milliards de "
    "VND.",
    "\n\n".join([
        "Dans son discours d'ouverture, le vice-ministre Bui The Duy a indiqué que la liste avait "
        "été établie conformément à la résolution 57-NQ/TW du Bureau politique sur les percées en "
        "matière de science, de technologie, d'innovation et de transformation numérique "
        "nationale, ainsi qu'à la décision 1131/QD-TTg du Premier ministre relative à la liste "
        "des technologies stratégiques.",
        "Selon le vice-ministre, sur les 25 missions, 9 portent sur les grands modèles de langue "
        "vietnamienne, 7 sur la vision par ordinateur pour l'agriculture et la santé, les autres "
        "étant axées sur les infrastructures de calcul haute performance. Chaque mission durera "
        "au maximum 36 mois.",
        "Fait notable, 60 % du financement sera alloué selon un mécanisme forfaitaire lié aux "
        "produits finaux, soit une hausse de 15 points de pourcentage par rapport à la période "
        "2021-2025. Les organismes porteurs devront partager au moins 30 % de leurs données "
        "d'entraînement sur la Plateforme nationale de données ouvertes, à l'adresse data.gov.vn.",
        "Les candidatures seront reçues en ligne du 15 septembre au 31 octobre 2026 via le portail "
        "de services publics du ministère. Le comité de sélection devrait annoncer les résultats "
        "en décembre 2026.",
        "Lors de la conférence, des représentants de l'Académie des sciences et technologies du "
        "Vietnam, de l'Université nationale du Vietnam à Hanoï et du groupe Viettel ont signé un "
        "protocole d'accord sur le partage de capacités de calcul, avec une capacité totale "
        "initiale de 12,8 pétaflops.",
    ]),
    _at(7, 4),
)  # fmt: skip

# Hard negative: a newspaper's own piece after the same conference (date, figures, names).
AI_INTERVIEWS = Doc(
    "ai-interviews", "ai-interviews", "vi",
    "Doanh nghiệp công nghệ kỳ vọng gì từ 25 nhiệm vụ AI trọng điểm?",
    "Nhiều doanh nghiệp công nghệ cho rằng cơ chế khoán chi đến sản phẩm cuối cùng sẽ giúp rút "
    "ngắn thời gian đưa kết quả nghiên cứu trí tuệ nhân tạo vào thực tế.",
    "\n\n".join([
        "Sau hội nghị do Bộ Khoa học và Công nghệ tổ chức ngày 5/9, phóng viên đã trao đổi với một "
        "số doanh nghiệp về danh mục 25 nhiệm vụ trọng điểm về trí tuệ nhân tạo, tổng kinh phí "
        "1.250 tỷ đồng.",
        "Ông Trần Quốc Bảo, Giám đốc một công ty khởi nghiệp tại Đà Nẵng chuyên về xử lý tiếng "
        "nói, cho biết doanh nghiệp của ông đã chuẩn bị hồ sơ cho nhiệm vụ về mô hình ngôn ngữ lớn. "
        "Theo ông, điều doanh nghiệp cần nhất là dữ liệu tiếng Việt chất lượng cao, được gán nhãn "
        "đầy đủ.",
        "Bà Lê Thị Hồng Nhung, đại diện một quỹ đầu tư mạo hiểm tại TP Hồ Chí Minh, nhận định yêu "
        "cầu chia sẻ dữ liệu huấn luyện lên data.gov.vn sẽ tạo ra hiệu ứng lan tỏa. Quỹ của bà đang "
        "xem xét rót khoảng 200 tỷ đồng vào 8 dự án AI trong năm 2027.",
        "Cũng theo bà Nhung, thời hạn 36 tháng cho mỗi nhiệm vụ là phù hợp, nhưng thủ tục thanh "
        "quyết toán cần được đơn giản hóa hơn nữa để các nhóm nghiên cứu trẻ có thể tham gia.",
        "Thứ trưởng Bùi Thế Duy cho biết Bộ sẽ tổ chức các buổi đối thoại với doanh nghiệp trong "
        "tháng 10 để giải đáp vướng mắc về Nghị quyết 57-NQ/TW.",
    ]),
    _at(6, 8),
)  # fmt: skip
# Hard negative: an English outlet's own analysis of the same announcement.
AI_ANALYSIS = Doc(
    "ai-analysis", "ai-analysis", "en",
    "Vietnam bets on home-grown language models as AI task list unveiled",
    "Vietnam's science ministry on September 5 unveiled 25 priority AI research tasks, putting "
    "Vietnamese-language models at the centre of its push for technological self-reliance.",
    "\n\n".join([
        "Officials in Hanoi said the programme, worth about VND 1,250 billion (roughly 48 million "
        "USD), follows Resolution 57-NQ/TW, the Politburo's blueprint for science and innovation "
        "adopted in late 2024.",
        "Analysts noted that Vietnam still trails regional peers in computing power. A report by "
        "a Singapore-based consultancy estimated the country's total AI compute at under 20 "
        "petaflops in 2025, compared with more than 300 in Singapore.",
        "Deputy Minister Bui The Duy told the conference that research groups would be judged on "
        "final products rather than paperwork, a change welcomed by universities.",
        "Several start-ups, including two founded by returning engineers from Silicon Valley, said "
        "they planned to bid for the language-model tasks before the October 31 deadline.",
    ]),
    _at(6, 12),
)  # fmt: skip

SENSORS_VI = Doc(
    "sensors-vi", "sensors", "vi",
    "Lâm Đồng vận hành 420 trạm cảm biến cho vùng cà phê",
    "(BLĐ) - Từ ngày 1/9/2026, mạng lưới 420 trạm cảm biến đo độ ẩm đất, nhiệt độ và lượng mưa "
    "chính thức vận hành tại các vùng cà phê trọng điểm của tỉnh.",
    "\n\n".join([
        "Theo Sở Khoa học và Công nghệ tỉnh Lâm Đồng, dự án có tổng vốn đầu tư 86,5 tỷ đồng, trong "
        "đó ngân sách tỉnh bố trí 52 tỷ đồng, phần còn lại do doanh nghiệp đối ứng.",
        "Dữ liệu từ các trạm được truyền về nền tảng nông nghiệp số của tỉnh mỗi 15 phút. Nông dân "
        "có thể tra cứu qua ứng dụng Nông nghiệp Lâm Đồng hoặc trang nongnghiep.lamdong.gov.vn.",
        "Sau vụ thử nghiệm tại 1.150 hộ ở Bảo Lộc và Di Linh, lượng nước tưới giảm khoảng 30%, "
        "lượng phân bón giảm 18%, trong khi năng suất cà phê tăng 7,5%.",
        "Ông Phạm Văn Tuấn, Giám đốc Sở, cho biết đến năm 2028 tỉnh sẽ mở rộng mạng lưới lên 1.000 "
        "trạm, phủ 65.000 ha cà phê.",
        "Hoàng Yến",
    ]),
    _at(2),
)  # fmt: skip
SENSORS_EN = Doc(
    "sensors-en", "sensors", "en",
    "Lam Dong operates 420 sensor stations for coffee growing areas",
    "From September 1, 2026, a network of 420 sensor stations measuring soil moisture, "
    "temperature and rainfall officially went into operation in the province's key "
    "coffee-growing areas.",
    "\n\n".join([
        "According to the Lam Dong Department of Science and Technology, the project has a total "
        "investment of VND 86.5 billion, of which the provincial budget contributed VND 52 "
        "billion and businesses provided the rest.",
        "Data from the stations is sent to the province's digital agriculture platform every 15 "
        "minutes. Farmers can look it up through the Lam Dong Agriculture app or at "
        "nongnghiep.lamdong.gov.vn.",
        "After a trial with 1,150 households in Bao Loc and Di Linh, irrigation water fell by "
        "about 30% and fertiliser use by 18%, while coffee yields rose by 7.5%.",
        "Mr. Pham Van Tuan, Director of the Department, said that by 2028 the province will expand "
        "the network to 1,000 stations covering 65,000 hectares of coffee.",
        "Source: https://baolamdong.vn/lam-dong-van-hanh-420-tram-cam-bien-412857.html",
    ]),
    _at(3),
)  # fmt: skip
# Hard negatives: another province's similar programme, and its own translation.
TEA_VI = Doc(
    "tea-vi", "tea", "vi",
    "Lai Châu gắn cảm biến cho 300 ha chè Tam Đường",
    "Từ tháng 9/2026, tỉnh Lai Châu triển khai hệ thống cảm biến IoT giám sát độ ẩm và sâu bệnh "
    "trên 300 ha chè tại huyện Tam Đường.",
    "\n\n".join([
        "Dự án do Sở Khoa học và Công nghệ tỉnh Lai Châu chủ trì, tổng kinh phí 12,4 tỷ đồng, gồm "
        "60 trạm cảm biến và phần mềm cảnh báo sớm.",
        "Dữ liệu được cập nhật mỗi 15 phút lên nền tảng nông nghiệp số. Người trồng chè nhận cảnh "
        "báo qua Zalo khi độ ẩm đất xuống dưới 30%.",
        "Theo kế hoạch, đến năm 2028 mô hình sẽ được nhân rộng ra 1.000 ha chè của tỉnh, gắn với mã "
        "QR truy xuất nguồn gốc.",
    ]),
    _at(2, 9),
)  # fmt: skip
TEA_EN = Doc(
    "tea-en", "tea", "en",
    "Lai Chau installs sensors on 300 hectares of Tam Duong tea",
    "From September 2026, Lai Chau province is deploying an IoT sensor system to monitor "
    "moisture and pests on 300 hectares of tea in Tam Duong district.",
    "\n\n".join([
        "The project, led by the Lai Chau Department of Science and Technology, has a total budget "
        "of VND 12.4 billion, including 60 sensor stations and early-warning software.",
        "Data is updated every 15 minutes on the digital agriculture platform. Tea growers receive "
        "alerts via Zalo when soil moisture drops below 30%.",
        "According to the plan, by 2028 the model will be replicated across 1,000 hectares of the "
        "province's tea, linked with QR codes for traceability.",
    ]),
    _at(3, 9),
)  # fmt: skip

DOCS = [AI_ORIGINAL, AI_REPUBLISHED, AI_EDITED, AI_EN, AI_RU, AI_FR, AI_INTERVIEWS, AI_ANALYSIS,
        SENSORS_VI, SENSORS_EN, TEA_VI, TEA_EN]  # fmt: skip
