"""Applicants: invented people's names (by the frequency of Vietnamese family names) and
invented organisations (companies, schools, associations) for the personal-data columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .text import join, take, words
from .units import STRUCT_SEED, place_names

_FAMILY = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.0),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 2.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.8),
    ("Trương", 0.8),
    ("Lương", 0.4),
    ("Mai", 0.4),
)
_MIDDLE = (  # male, female
    words("Văn Hữu Đức Minh Quốc Công Thành Xuân Anh Gia Trọng Thanh"),
    words("Thị Ngọc Thu Thanh Mỹ Kim Bảo Khánh Phương Hồng Diệu Minh"),
)
_GIVEN = (  # male, female
    words(
        "An Bình Cường Dũng Đạt Hải Hùng Hưng Khang Khoa Long Minh Nam Nghĩa Phúc Phong Quân Sơn"
        " Tài Thắng Thịnh Tiến Toàn Trung Tuấn Việt Vinh Bảo Duy Hiếu Huy Kiên Lâm Lộc Nhân"
        " Quang Tâm Thái Trí Vũ"
    ),
    words(
        "Anh Chi Dung Duyên Giang Hà Hạnh Hằng Hoa Hương Huyền Lan Liên Linh Loan Mai My Nga Ngân"
        " Nhung Oanh Phương Quỳnh Thảo Thu Thủy Trang Trinh Uyên Vân Yến Hiền Hồng Ly Ngọc Nhi"
        " Tâm Thư Tuyết Xuân"
    ),
)
_ORG_TYPES = {
    2: (
        "Công ty TNHH",
        "Công ty cổ phần",
        "Công ty TNHH MTV",
        "Doanh nghiệp tư nhân",
        "Hợp tác xã",
    ),
    3: ("Trường Tiểu học", "Trường THCS", "Trạm Y tế xã", "Ban Quản lý dự án", "Trường Mầm non"),
    4: ("Hội", "Quỹ", "Văn phòng công chứng", "Chi hội", "Giáo xứ"),
}
_SECTORS = (
    "Thương mại",
    "Xây dựng",
    "Dịch vụ",
    "Vận tải",
    "Nông sản",
    "Thủy sản",
    "Đầu tư",
    "Sản xuất",
    "Du lịch",
    "Công nghệ",
)


class Names:
    """Draws the applicant's name for each dossier: a person (applicant type 1) or an
    organisation (2 business, 3 state agency, 4 other)."""

    def __init__(self) -> None:
        self.family = pa.array([f for f, _ in _FAMILY])
        self.family_cum = np.cumsum([w for _, w in _FAMILY])
        self.middle = [pa.array(x) for x in _MIDDLE]
        self.given = [pa.array(x) for x in _GIVEN]
        self.brands = pa.array(place_names(np.random.default_rng([STRUCT_SEED, 4]))[:400])
        self.sectors = pa.array(_SECTORS)
        self.org_types = pa.array([t for a in (2, 3, 4) for t in _ORG_TYPES[a]], type=pa.string())

    def draw(self, rng: np.random.Generator, app: np.ndarray) -> pa.Array:
        n = len(app)
        female = rng.random(n) < 0.5
        fam = np.searchsorted(self.family_cum, rng.random(n) * self.family_cum[-1], "right")
        fam = np.minimum(fam, len(_FAMILY) - 1)
        mid = rng.integers(0, 12, n)
        giv = rng.integers(0, 40, n)
        mid_s = pc.if_else(pa.array(female), take(self.middle[1], mid), take(self.middle[0], mid))
        giv_s = pc.if_else(pa.array(female), take(self.given[1], giv), take(self.given[0], giv))
        person = join(take(self.family, fam), mid_s, giv_s, sep=" ")
        ti = (np.clip(app, 2, 4) - 2) * 5 + rng.integers(0, 5, n)
        kind = take(self.org_types, ti)
        brand = take(self.brands, rng.integers(0, len(self.brands), n))
        sector = take(self.sectors, rng.integers(0, len(_SECTORS), n))
        org = pc.if_else(
            pa.array(app == 2), join(kind, sector, brand, sep=" "), join(kind, brand, sep=" ")
        )
        return pc.if_else(pa.array(app == 1), person, org)
