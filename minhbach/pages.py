"""The page kinds not yet moved into :mod:`minhbach.render` (home, rankings, units,
procedures, downloads, methodology, data quality, history), on the package's writer, site data,
figures and filters; :func:`minhbach.render.start_all` calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .render.writer import Writer

if TYPE_CHECKING:
    from .config import Settings

TABLE_LABELS = {
    "agencies": "Đơn vị (agencies)",
    "procedures": "Thủ tục (procedures)",
    "dossiers": "Hồ sơ (dossiers)",
    "supplements": "Yêu cầu bổ sung (supplements)",
    "ratings": "Đánh giá hài lòng (ratings)",
    "feedback": "Phản ánh, kiến nghị (feedback)",
    "procedure_publications": "Công bố thủ tục (procedure_publications)",
    "official_scores": "Điểm chính thức (official_scores)",
}

# Levels: tab label (ranking), the unit's level in a sentence, its peers ("hạng 3/18 trong …").
LEVEL_ORDER = ("department", "district", "commune", "other")
LEVEL_TAB = {
    "province": "Toàn tỉnh",
    "department": "Sở, ban, ngành",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
    "other": "Đơn vị khác",
}
LEVEL_NAME = {
    "province": "cấp tỉnh (toàn tỉnh)",
    "department": "sở, ban, ngành",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "other": "đơn vị khác",
}
LEVEL_PEERS = {
    "province": "toàn tỉnh",
    "department": "các sở, ban, ngành",
    "district": "các đơn vị cấp huyện",
    "commune": "các xã, phường, đặc khu",
    "other": "các đơn vị khác",
}

# The six groups of the 766 index (methodology §3), in order.
GROUPS = (
    ("CKMB", "Công khai, minh bạch"),
    ("TDGQ", "Tiến độ giải quyết"),
    ("CLGQ", "Dịch vụ công trực tuyến"),
    ("TTTT", "Thanh toán trực tuyến"),
    ("MDSH", "Số hóa hồ sơ"),
    ("MDHL", "Mức độ hài lòng"),
)
GROUP_NAME = dict(GROUPS)

RATING_LEVELS = (
    ("ratings_1", "1 – Rất không hài lòng"),
    ("ratings_2", "2 – Không hài lòng"),
    ("ratings_3", "3 – Bình thường"),
    ("ratings_4", "4 – Hài lòng"),
    ("ratings_5", "5 – Rất hài lòng"),
)
OPEN_AGE = (
    ("not_yet_due", "Chưa đến hạn"),
    ("overdue_1_5", "Quá hạn 1–5 ngày"),
    ("overdue_6_15", "Quá hạn 6–15 ngày"),
    ("overdue_16_30", "Quá hạn 16–30 ngày"),
    ("overdue_over_30", "Quá hạn trên 30 ngày"),
)
CHANNELS = (
    ("received_online", "Trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_postal", "Bưu chính công ích"),
)

TOP_BOTTOM = 5


# --------------------------------------------------------------------------------------------
# Home


# --------------------------------------------------------------------------------------------
# Rankings


# --------------------------------------------------------------------------------------------
# Downloads, methodology, data quality, history


def render_methodology(w: Writer, s: Settings) -> None:
    w.page(
        "phuong-phap/index.md",
        "phuong-phap.md.j2",
        bands=[tuple(b) for b in s.bands],
        second_supplement_is_late=s.second_supplement_is_late,
        official_score_tolerance=s.official_score_tolerance,
    )
