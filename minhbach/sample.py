"""The bundled fictional sample province, written by a seeded generator.

``python -m minhbach.sample --out DIR [--dossiers N] [--seed S] [--scale sample|large]
[--format csv|parquet] [--as-of YYYY-MM-DD]`` writes every table of the data contract
(../shared/spec/data-contract.md) into DIR, plus the marker file ``_synthetic.toml`` that tells the
build to show a "synthetic data" banner on every page.

Everything here is invented: "Tỉnh Minh Họa (giả lập)" is no real province, its districts and
communes have made-up names, every applicant name, phone and ID number is fake (ID numbers start
with the non-existent province code 099). What is real is the shape: the department names, the
2025 restructuring (mergers of departments on 1/3/2025, end of the district level and merger of
communes on 1/7/2025), the procedure names and fields, the DVCQG column names and status codes.
Procedure codes are real national codes where we know them (e.g. 1.001193 khai sinh, 1.000894
kết hôn, 2.000815 chứng thực bản sao, the 2024 land-law codes 1.0127xx/1.013831); the others are
written in the real format but are not checked against the national database.

Deterministic: the same arguments give byte-identical files. There is no wall-clock time, no
dict/set ordering of data, and every random draw comes from a generator seeded from ``seed``
(the catalogue of units and procedures from a fixed seed, so it does not change with ``seed``).
Dossiers are generated one month at a time with numpy, without a Python loop per dossier.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import __version__

PROVINCE_NAME = "Tỉnh Minh Họa (giả lập)"
PROVINCE_CODE = "Z99"  # not a real province code
MARKER = "_synthetic.toml"
TABLE_FILES = (
    "agencies",
    "procedures",
    "supplements",
    "ratings",
    "feedback",
    "procedure_publications",
    "official_scores",
)
DEFAULT_AS_OF = date(2026, 11, 15)
_STRUCT_SEED = 74_2025  # the catalogue (units, procedures, profiles) does not depend on `seed`

DAY = 86_400
HOUR = 3_600
MERGE_DATE = date(2025, 3, 1)  # departments merged (Nghị quyết 2025 về sắp xếp bộ máy)
COMMUNE_DATE = date(2025, 7, 1)  # district level ended, communes merged
# Months whose dossier exports come from the "new software": Vietnamese timestamps, UTF-8 BOM.
VN_FORMAT_MONTHS = ("2025-03", "2025-04", "2025-05")

DOSSIER_COLUMNS = (
    "MaHoSo",
    "MaDonVi",
    "MaTTHC",
    "KenhThucHien",
    "TrangThaiHoSo",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "HinhThuc",
    "DuocThanhToanTrucTuyen",
    "DaDongBo",
    "HoSoCoThanhPhanSoHoa",
    "DuocTaiSuDung",
    "DuocLayTuKhoDMQG",
    "CoKetQuaDienTu",
    "TaiKhoanDuocXacThucVoiVNeID",
    "LoaiDoiTuong",
    # personal data, as real exports carry it; the build must drop these columns
    "ChuHoSo",
    "SoDienThoai",
    "SoGiayToChuHoSo",
    "TrichYeuHoSo",
)
AGENCY_COLUMNS = (
    "agency_id",
    "name",
    "level",
    "parent_id",
    "valid_from",
    "valid_to",
    "successor_id",
)
PROCEDURE_COLUMNS = (
    "MaTTHC",
    "TenTTHC",
    "LinhVuc",
    "MucDo",
    "SoNgayGiaiQuyet",
    "CoPhiLePhi",
    "online_payment_enabled",
    "issues_result_document",
)
SUPPLEMENT_COLUMNS = ("MaHoSo", "NgayYeuCauBoSung", "NgayTiepNhanBoSung", "NgayHenTraMoi")
RATING_COLUMNS = ("rating_id", "MaHoSo", "MaDonVi", "ThoiGianDanhGia", "DanhGia", "NguoiDanhGia")
FEEDBACK_COLUMNS = (
    "MaPAKN",
    "MaDonVi",
    "MaHoSo",
    "NgayTiepNhan",
    "HanXuLy",
    "NgayXuLy",
    "HaiLong",
    "PhanLoai",
    "NoiDung",
)
PUBLICATION_COLUMNS = (
    "agency_id",
    "procedure_id",
    "publish_due",
    "published_at",
    "public_due",
    "made_public_at",
    "content_complete",
)
SCORE_COLUMNS = ("agency_id", "period", "group", "score")


def _words(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------------------------------------
# Calendar: weekends, public holidays (roughly as decreed), Tết
# ---------------------------------------------------------------------------------------------

_HOLIDAYS = _words(
    "2023-01-02 2023-01-20 2023-01-23 2023-01-24 2023-01-25 2023-01-26 2023-04-28 2023-05-01"
    " 2023-05-02 2023-05-03 2023-09-01 2023-09-04"
    " 2024-01-01 2024-02-08 2024-02-09 2024-02-12 2024-02-13 2024-02-14 2024-04-18 2024-04-29"
    " 2024-04-30 2024-05-01 2024-09-02 2024-09-03"
    " 2025-01-01 2025-01-27 2025-01-28 2025-01-29 2025-01-30 2025-01-31 2025-04-07 2025-04-30"
    " 2025-05-01 2025-05-02 2025-09-01 2025-09-02"
    " 2026-01-01 2026-01-02 2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20 2026-04-27"
    " 2026-04-30 2026-05-01 2026-08-31 2026-09-01 2026-09-02"
    " 2027-01-01 2027-02-04 2027-02-05 2027-02-08 2027-02-09 2027-02-10 2027-04-16 2027-04-30"
    " 2027-05-03 2027-09-02 2027-09-03"
)
_TET = ("2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06")
_CAL = np.busdaycalendar(weekmask="1111100", holidays=np.array(_HOLIDAYS, dtype="M8[D]"))


def _day(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _busday_offset(days: np.ndarray, offsets: np.ndarray | int) -> np.ndarray:
    out = np.busday_offset(days.astype("M8[D]"), offsets, roll="forward", busdaycal=_CAL)
    return out.astype(np.int64)


def _busday_count(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    return np.busday_count(begin.astype("M8[D]"), end.astype("M8[D]"), busdaycal=_CAL).astype(
        np.int64
    )


def _work_tod(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within office hours (7:30-11:30, 13:30-17:00)."""
    morning = rng.random(n) < 0.55
    return np.where(
        morning, 27_000 + rng.integers(0, 4 * HOUR, n), 48_600 + rng.integers(0, 12_600, n)
    ).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Fast text formatting
# ---------------------------------------------------------------------------------------------

_PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), np.uint8).reshape(100, 2)


def _fmt_time(ts: np.ndarray, valid: np.ndarray | None, style: str) -> pa.Array:
    """Timestamps (int seconds, local time) as text: dvcqg yyyyMMddHHmmss, vn dd/mm/yyyy HH:MM:SS,
    vn_min dd/mm/yyyy HH:MM, iso yyyy-mm-dd HH:MM:SS, date yyyy-mm-dd."""
    ts = np.asarray(ts, dtype=np.int64)
    n = len(ts)
    days = np.floor_divide(ts, DAY)
    tod = (ts - days * DAY).astype(np.int32)
    d = days.astype("M8[D]")
    mo = d.astype("M8[M]")
    months = mo.astype(np.int64)
    year = (months // 12 + 1970).astype(np.int32)
    month = (months % 12 + 1).astype(np.int32)
    dom = (d - mo.astype("M8[D]")).astype(np.int32) + 1
    parts = {
        "C": _PAIRS[year // 100],
        "Y": _PAIRS[year % 100],
        "M": _PAIRS[month],
        "D": _PAIRS[dom],
        "h": _PAIRS[tod // 3600],
        "m": _PAIRS[tod // 60 % 60],
        "s": _PAIRS[tod % 60],
    }
    template = {
        "dvcqg": "CYMDhms",
        "vn": "D/M/CY h:m:s",
        "vn_min": "D/M/CY h:m",
        "iso": "CY-M-D h:m:s",
        "date": "CY-M-D",
    }[style]
    width = sum(2 if c in parts else 1 for c in template)
    buf = np.empty((n, width), np.uint8)
    pos = 0
    for c in template:
        if c in parts:
            buf[:, pos : pos + 2] = parts[c]
            pos += 2
        else:
            buf[:, pos] = ord(c)
            pos += 1
    raw = buf.view(f"S{width}").ravel() if n else np.array([], dtype=f"S{width}")
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pa.array(raw, type=pa.binary(), mask=mask).cast(pa.string())


def _fmt_int(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pa.array(np.asarray(values, dtype=np.int64), mask=mask).cast(pa.string())


def _take(strings: pa.Array | list[str], idx: np.ndarray, valid: np.ndarray | None = None):
    arr = strings if isinstance(strings, pa.Array) else pa.array(strings, type=pa.string())
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64), mask=mask))


def _digits(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    return pc.utf8_lpad(_fmt_int(rng.integers(0, 10**width, n)), width, "0")


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


# ---------------------------------------------------------------------------------------------
# The catalogue: departments, places, procedures
# ---------------------------------------------------------------------------------------------

# key, number in the agency code, name, late share at start/end of the period, online propensity
_DEPARTMENTS = (
    ("NV", 1, "Sở Nội vụ", 0.03, 0.04, 1.0),
    ("TP", 2, "Sở Tư pháp", 0.015, 0.01, 1.15),
    ("KHDT", 3, "Sở Kế hoạch và Đầu tư", 0.06, 0.05, 1.2),
    ("TC", 4, "Sở Tài chính", 0.05, 0.03, 1.1),
    ("CT", 5, "Sở Công Thương", 0.03, 0.025, 1.1),
    ("NNPTNT", 6, "Sở Nông nghiệp và Phát triển nông thôn", 0.08, 0.08, 0.8),
    ("GTVT", 7, "Sở Giao thông vận tải", 0.10, 0.10, 1.1),
    ("XD", 8, "Sở Xây dựng", 0.30, 0.12, 0.9),
    ("TNMT", 9, "Sở Tài nguyên và Môi trường", 0.32, 0.30, 0.7),
    ("LDTBXH", 10, "Sở Lao động - Thương binh và Xã hội", 0.05, 0.20, 0.9),
    ("VHTTDL", 11, "Sở Văn hóa, Thể thao và Du lịch", 0.06, 0.05, 1.0),
    ("KHCN", 12, "Sở Khoa học và Công nghệ", 0.02, 0.02, 1.1),
    ("TTTT", 13, "Sở Thông tin và Truyền thông", 0.01, 0.01, 1.3),
    ("GDDT", 14, "Sở Giáo dục và Đào tạo", 0.03, 0.02, 1.1),
    ("YT", 15, "Sở Y tế", 0.06, 0.22, 0.9),
    ("BDT", 16, "Ban Dân tộc", 0.05, 0.05, 0.7),
    ("BQLKCN", 17, "Ban Quản lý các khu công nghiệp", 0.02, 0.02, 1.2),
    ("CA", 18, "Công an tỉnh", 0.02, 0.015, 1.1),
    ("NNMT", 21, "Sở Nông nghiệp và Môi trường", 0.40, 0.06, 0.85),
    ("DTTG", 22, "Sở Dân tộc và Tôn giáo", 0.05, 0.04, 0.8),
)
# Only in --scale large (about 25 units at department level).
_DEPARTMENTS_LARGE = (
    ("NGV", 19, "Sở Ngoại vụ", 0.03, 0.03, 1.0),
    ("VPUB", 20, "Văn phòng Ủy ban nhân dân tỉnh", 0.04, 0.03, 1.0),
    ("TTR", 23, "Thanh tra tỉnh", 0.15, 0.12, 0.6),
    ("BQLKKT", 24, "Ban Quản lý Khu kinh tế cửa khẩu", 0.04, 0.03, 1.1),
)
# 1/3/2025: the unit on the left ended on 28/2/2025 and its work went to the unit on the right.
_MERGERS = {
    "KHDT": "TC",
    "GTVT": "XD",
    "TNMT": "NNMT",
    "NNPTNT": "NNMT",
    "TTTT": "KHCN",
    "LDTBXH": "NV",
    "BDT": "DTTG",
    "NGV": "VPUB",
}
_NEW_2025 = ("NNMT", "DTTG")

# Sample districts (invented names). kind: city (wards), town (wards + communes), rural, island.
_SAMPLE_DISTRICTS = (
    ("Thành phố Minh Họa", "city", 12),
    ("Thị xã Lạc Vân", "town", 9),
    ("Huyện Đồi Mây", "rural", 9),
    ("Huyện Sông Ngọc", "rural", 10),
    ("Huyện Bến Trăng", "rural", 8),
    ("Huyện Khe Lau", "rural", 8),
    ("Huyện Phú Sa", "rural", 9),
    ("Huyện Núi Thơm", "rural", 10),
    ("Huyện đảo Hòn Ngọc", "island", 3),
)
_SYL_A = _words(
    "Tân Phú An Bình Hòa Long Mỹ Thạnh Vĩnh Phước Hưng Thuận Đông Tây Nam Bắc Trung Quảng Hiệp"
    " Thới Lộc Minh Thanh Hồng Kim Ngọc Xuân Hải Sơn Đức Gia Cẩm Lạc Yên Đại Thái Kỳ Vân Phong"
    " Tiên"
)
_SYL_B = _words(
    "Phú Lợi Thành Hưng Hòa Điền Lộc Sơn Thủy Xuân Hải Lâm Định Khánh Tiến An Bình Long Phước"
    " Thịnh Quang Trung Hiệp Mỹ Tân Đông Tây Nam Bắc Yên Thuận Hạnh Linh Châu Vinh Cường Hà"
    " Kiều Dương Nghĩa"
)


# The procedure catalogue. One record per procedure: a line
#   code | owner | statutory working days | online level | fee, fee payable on the national
#   portal, result is a document (3 digits 1/0) | relative volume | applicant | lateness factor |
#   supplementation factor | field (lĩnh vực)
# then its name on the following indented lines. owner: a department key, PROV (the province's
# People's Committee), DIST (district level; the communes from 1/7/2025), COMM (commune level).
# online level: 4 full (toàn trình), 3 partial (một phần), 2 none. applicant: c citizen,
# b business, m mixed, s state agency, o other organisation. Statutory days 0.5 = "trong ngày":
# due the same day when received before 15:00, else the next working day.
_PROCEDURE_TABLE = """
# commune level (cấp xã)
1.001193 | COMM | 1 | 4 | 001 | 60 | c | 0.3 | 0.3 | Hộ tịch
    Đăng ký khai sinh
1.000894 | COMM | 1 | 4 | 001 | 20 | c | 0.3 | 0.3 | Hộ tịch
    Đăng ký kết hôn
1.000656 | COMM | 1 | 4 | 001 | 25 | c | 0.3 | 0.2 | Hộ tịch
    Đăng ký khai tử
1.000689 | COMM | 3 | 3 | 111 | 3 | c | 0.6 | 1 | Hộ tịch
    Đăng ký khai sinh kết hợp nhận cha, mẹ, con
1.004873 | COMM | 3 | 4 | 111 | 35 | c | 0.4 | 0.4 | Hộ tịch
    Cấp Giấy xác nhận tình trạng hôn nhân
2.000635 | COMM | 1 | 4 | 111 | 30 | c | 0.3 | 0.1 | Hộ tịch
    Cấp bản sao Trích lục hộ tịch
1.004884 | COMM | 5 | 3 | 101 | 3 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại khai sinh
1.005461 | COMM | 5 | 3 | 101 | 1 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại khai tử
1.004746 | COMM | 5 | 3 | 101 | 1 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại kết hôn
1.004859 | COMM | 3 | 3 | 101 | 2 | c | 0.7 | 1.2 | Hộ tịch
    Đăng ký nhận cha, mẹ, con
1.004827 | COMM | 3 | 3 | 101 | 4 | c | 0.8 | 1.5 | Hộ tịch
    Thay đổi, cải chính, bổ sung thông tin hộ tịch
2.000815 | COMM | 0.5 | 3 | 111 | 120 | m | 0.2 | 0.05 | Chứng thực
    Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của
    Việt Nam cấp hoặc chứng nhận
2.000884 | COMM | 0.5 | 2 | 101 | 25 | c | 0.2 | 0.05 | Chứng thực
    Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm
    chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)
2.001035 | COMM | 2 | 2 | 101 | 15 | c | 0.5 | 0.6 | Chứng thực
    Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà
    ở
2.000942 | COMM | 2 | 2 | 101 | 2 | c | 0.4 | 0.2 | Chứng thực
    Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực
1.010028 | COMM | 1 | 4 | 000 | 20 | c | 0.3 | 0.1 | Đăng ký, quản lý cư trú
    Xác nhận thông tin về cư trú
1.011607 | COMM | 15 | 2 | 001 | 1 | c | 1 | 1 | Bảo trợ xã hội
    Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm
1.001699 | COMM | 25 | 3 | 001 | 3 | c | 1.2 | 1.5 | Bảo trợ xã hội
    Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật
1.001653 | COMM | 5 | 3 | 001 | 1 | c | 0.8 | 0.8 | Bảo trợ xã hội
    Đổi, cấp lại Giấy xác nhận khuyết tật
1.012812 | COMM | 30 | 2 | 000 | 2 | c | 1.8 | 1.5 | Đất đai
    Hòa giải tranh chấp đất đai
# district level (cấp huyện; communes from 1/7/2025)
2.000528 | DIST | 3 | 3 | 111 | 0.8 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký khai sinh có yếu tố nước ngoài
2.000806 | DIST | 15 | 3 | 111 | 0.8 | c | 0.8 | 1.8 | Hộ tịch
    Đăng ký kết hôn có yếu tố nước ngoài
1.001612 | DIST | 3 | 4 | 111 | 20 | b | 0.6 | 1.2 | Thành lập và hoạt động của hộ kinh doanh
    Đăng ký thành lập hộ kinh doanh
2.000720 | DIST | 3 | 4 | 111 | 8 | b | 0.6 | 1 | Thành lập và hoạt động của hộ kinh doanh
    Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
1.001570 | DIST | 3 | 4 | 000 | 2 | b | 0.4 | 0.3 | Thành lập và hoạt động của hộ kinh doanh
    Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh
1.001266 | DIST | 3 | 4 | 001 | 2 | b | 0.4 | 0.3 | Thành lập và hoạt động của hộ kinh doanh
    Chấm dứt hoạt động hộ kinh doanh
2.000575 | DIST | 3 | 4 | 111 | 0.8 | b | 0.5 | 0.5 | Thành lập và hoạt động của hộ kinh doanh
    Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh
1.013225 | DIST | 15 | 3 | 111 | 15 | c | 1.6 | 2.5 | Hoạt động xây dựng
    Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
1.013227 | DIST | 5 | 3 | 101 | 0.8 | c | 1 | 1 | Hoạt động xây dựng
    Gia hạn giấy phép xây dựng
1.001776 | DIST | 22 | 3 | 001 | 4 | c | 1 | 1.2 | Bảo trợ xã hội
    Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc,
    nuôi dưỡng hằng tháng
1.001731 | DIST | 5 | 3 | 001 | 2 | c | 0.8 | 0.8 | Bảo trợ xã hội
    Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội
1.012790 | DIST | 15 | 3 | 101 | 10 | c | 1.7 | 2.5 | Đất đai
    Chuyển mục đích sử dụng đất đối với hộ gia đình, cá nhân
3.000182 | DIST | 15 | 4 | 001 | 6 | c | 0.3 | 0.3 | Giáo dục và Đào tạo
    Tuyển sinh trung học cơ sở
# the province (UBND tỉnh)
2.002143 | PROV | 45 | 2 | 001 | 0.4 | c | 2.5 | 1.5 | Giải quyết khiếu nại
    Giải quyết khiếu nại lần hai tại cấp tỉnh
2.002163 | PROV | 30 | 2 | 001 | 0.2 | c | 2 | 1 | Giải quyết tố cáo
    Giải quyết tố cáo tại cấp tỉnh
# departments
2.000505 | TP | 10 | 4 | 111 | 30 | c | 0.6 | 0.3 | Lý lịch tư pháp
    Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam
2.000508 | TP | 10 | 4 | 001 | 2 | s | 0.6 | 0.3 | Lý lịch tư pháp
    Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan nhà nước, tổ chức chính trị, tổ chức
    chính trị - xã hội
2.001610 | KHDT | 3 | 4 | 111 | 3 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập doanh nghiệp tư nhân
2.002036 | KHDT | 3 | 4 | 111 | 8 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên
2.002037 | KHDT | 3 | 4 | 111 | 3 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên
2.002038 | KHDT | 3 | 4 | 111 | 2 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty cổ phần
2.002042 | KHDT | 3 | 4 | 111 | 5 | b | 0.4 | 1.2 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, công ty cổ
    phần
2.002051 | KHDT | 3 | 4 | 001 | 6 | b | 0.3 | 1 | Thành lập và hoạt động của doanh nghiệp
    Thông báo thay đổi nội dung đăng ký doanh nghiệp
2.002058 | KHDT | 3 | 4 | 000 | 3 | b | 0.3 | 0.5 | Thành lập và hoạt động của doanh nghiệp
    Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo
2.002060 | KHDT | 5 | 4 | 001 | 1.5 | b | 0.5 | 1 | Thành lập và hoạt động của doanh nghiệp
    Giải thể doanh nghiệp
1.009645 | KHDT | 35 | 3 | 001 | 0.3 | b | 2 | 3 | Đầu tư tại Việt Nam
    Quyết định chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh
1.005427 | TC | 2 | 4 | 001 | 2 | s | 0.3 | 0.5 | Tin học - Thống kê
    Cấp mã số đơn vị có quan hệ với ngân sách
1.005435 | TC | 30 | 2 | 001 | 1 | s | 1.5 | 2 | Quản lý vốn đầu tư
    Thẩm tra, phê duyệt quyết toán vốn đầu tư dự án hoàn thành
1.009974 | XD | 20 | 3 | 101 | 2 | b | 1.8 | 3 | Hoạt động xây dựng
    Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II
1.009982 | XD | 30 | 3 | 101 | 1.5 | b | 1.5 | 2.5 | Hoạt động xây dựng
    Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng/điều chỉnh Báo cáo nghiên cứu khả thi
    đầu tư xây dựng
1.009983 | XD | 30 | 3 | 101 | 1.5 | b | 1.5 | 2.5 | Hoạt động xây dựng
    Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở/điều chỉnh thiết kế xây dựng
    triển khai sau thiết kế cơ sở
1.009990 | XD | 20 | 4 | 111 | 3 | c | 0.8 | 1 | Hoạt động xây dựng
    Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III
1.009992 | XD | 20 | 4 | 111 | 1.5 | b | 0.8 | 1.2 | Hoạt động xây dựng
    Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III
1.002809 | GTVT | 5 | 4 | 111 | 40 | c | 0.4 | 0.2 | Đường bộ
    Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp
1.002835 | GTVT | 10 | 3 | 111 | 5 | c | 0.6 | 0.5 | Đường bộ
    Cấp lại Giấy phép lái xe
1.002859 | GTVT | 5 | 4 | 001 | 2 | b | 0.6 | 1 | Đường bộ
    Cấp Giấy phép kinh doanh vận tải bằng xe ô tô
1.002861 | GTVT | 2 | 4 | 001 | 10 | b | 0.4 | 0.4 | Đường bộ
    Cấp phù hiệu xe ô tô kinh doanh vận tải
1.001045 | GTVT | 2 | 4 | 001 | 1.5 | b | 0.5 | 0.5 | Đường bộ
    Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn, xe bánh xích, xe vận chuyển
    hàng siêu trường, siêu trọng trên đường bộ
1.001037 | GTVT | 7 | 3 | 001 | 1 | b | 1 | 1.5 | Đường bộ
    Cấp phép thi công công trình trên đường bộ đang khai thác
1.012753 | TNMT | 20 | 3 | 101 | 15 | c | 1.6 | 3 | Đất đai
    Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở
    hữu tài sản gắn liền với đất lần đầu
1.013831 | TNMT | 10 | 3 | 111 | 35 | c | 1.5 | 2.5 | Đất đai
    Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các
    trường hợp chuyển đổi, chuyển nhượng, cho thuê, thừa kế, tặng cho, góp vốn
1.012783 | TNMT | 7 | 3 | 101 | 8 | c | 1.4 | 2 | Đất đai
    Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất
1.012784 | TNMT | 15 | 3 | 101 | 8 | c | 1.5 | 2.5 | Đất đai
    Tách thửa hoặc hợp thửa đất
1.012786 | TNMT | 10 | 3 | 101 | 1 | c | 1.5 | 1.5 | Đất đai
    Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do bị mất
1.011441 | TNMT | 1 | 4 | 111 | 30 | m | 0.4 | 0.2 | Đăng ký biện pháp bảo đảm
    Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất
1.011443 | TNMT | 1 | 4 | 001 | 20 | m | 0.4 | 0.1 | Đăng ký biện pháp bảo đảm
    Xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất
1.012789 | TNMT | 2 | 4 | 110 | 5 | m | 0.6 | 0.2 | Đất đai
    Cung cấp thông tin, dữ liệu đất đai
1.010727 | TNMT | 30 | 3 | 101 | 0.8 | b | 1.5 | 3 | Môi trường
    Cấp giấy phép môi trường (cấp tỉnh)
1.003232 | NNPTNT | 15 | 3 | 101 | 2 | b | 0.8 | 1.2 | Quản lý chất lượng nông lâm sản và thủy sản
    Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản
1.003619 | NNPTNT | 1 | 4 | 111 | 8 | m | 0.3 | 0.1 | Thú y
    Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp
    tỉnh
1.004363 | NNPTNT | 15 | 3 | 101 | 1 | b | 0.8 | 1.2 | Bảo vệ thực vật
    Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật
1.008004 | NNPTNT | 15 | 3 | 101 | 0.6 | b | 0.8 | 1.2 | Trồng trọt
    Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón
1.004359 | NNPTNT | 6 | 3 | 101 | 1.5 | c | 0.6 | 0.8 | Thủy sản
    Cấp giấy phép khai thác thủy sản
1.004692 | NNPTNT | 3 | 3 | 101 | 1 | c | 0.6 | 0.8 | Thủy sản
    Cấp Giấy chứng nhận đăng ký tàu cá
1.000047 | NNPTNT | 3 | 3 | 001 | 1 | m | 0.5 | 0.5 | Lâm nghiệp
    Xác nhận bảng kê lâm sản
1.009811 | LDTBXH | 5 | 4 | 111 | 2 | b | 0.6 | 1.2 | Việc làm
    Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
1.009813 | LDTBXH | 5 | 4 | 111 | 0.8 | b | 0.6 | 1 | Việc làm
    Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
1.009814 | LDTBXH | 5 | 4 | 001 | 0.8 | b | 0.5 | 0.8 | Việc làm
    Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động
2.001955 | LDTBXH | 7 | 4 | 001 | 1.5 | b | 0.5 | 0.8 | Lao động
    Đăng ký nội quy lao động
1.001978 | LDTBXH | 20 | 4 | 001 | 15 | c | 0.6 | 0.5 | Việc làm
    Giải quyết hưởng trợ cấp thất nghiệp
1.010810 | LDTBXH | 12 | 3 | 001 | 1.5 | c | 1 | 1 | Người có công
    Giải quyết chế độ trợ cấp thờ cúng liệt sĩ
1.000775 | NV | 20 | 3 | 001 | 3 | s | 0.8 | 0.8 | Thi đua - khen thưởng
    Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh
1.000843 | NV | 20 | 3 | 001 | 1 | s | 0.8 | 0.8 | Thi đua - khen thưởng
    Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh
1.001078 | NV | 10 | 2 | 000 | 0.3 | o | 0.5 | 0.5 | Tôn giáo Chính phủ
    Thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc
    có địa bàn hoạt động ở một tỉnh
1.004616 | YT | 20 | 3 | 111 | 2 | c | 1 | 1.5 | Dược phẩm
    Cấp Chứng chỉ hành nghề dược
1.004614 | YT | 20 | 3 | 101 | 2 | b | 1.5 | 2 | Dược phẩm
    Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc
1.012268 | YT | 30 | 3 | 101 | 2 | c | 1.2 | 1.5 | Khám bệnh, chữa bệnh
    Cấp giấy phép hành nghề khám bệnh, chữa bệnh
2.001229 | YT | 15 | 3 | 101 | 1.5 | b | 1 | 1.5 | An toàn thực phẩm
    Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm
1.003020 | YT | 7 | 4 | 111 | 1.5 | b | 0.8 | 1 | An toàn thực phẩm
    Đăng ký bản công bố sản phẩm nhập khẩu, sản xuất trong nước
1.005092 | GDDT | 1 | 4 | 111 | 4 | c | 0.3 | 0.2 | Văn bằng, chứng chỉ
    Cấp bản sao văn bằng, chứng chỉ từ sổ gốc
1.005142 | GDDT | 15 | 4 | 001 | 2 | c | 0.4 | 0.1 | Thi, tuyển sinh
    Phúc khảo bài thi tốt nghiệp trung học phổ thông
2.001283 | CT | 15 | 3 | 101 | 0.6 | b | 0.8 | 1.2 | Kinh doanh khí và xăng dầu
    Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu
2.000591 | CT | 5 | 4 | 001 | 0.6 | b | 0.4 | 0.5 | Hóa chất
    Cấp Giấy xác nhận khai báo hóa chất
2.000002 | CT | 5 | 4 | 001 | 6 | b | 0.3 | 0.3 | Xúc tiến thương mại
    Đăng ký thực hiện khuyến mại
1.001432 | VHTTDL | 10 | 4 | 111 | 0.5 | c | 0.5 | 0.8 | Du lịch
    Cấp thẻ hướng dẫn viên du lịch
1.009397 | VHTTDL | 5 | 4 | 000 | 1 | o | 0.3 | 0.3 | Nghệ thuật biểu diễn
    Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật
1.003725 | TTTT | 15 | 4 | 001 | 1.2 | o | 0.3 | 0.5 | Báo chí
    Cấp giấy phép xuất bản bản tin
1.004091 | TTTT | 5 | 4 | 001 | 1.2 | b | 0.3 | 0.5 | Xuất bản, In và Phát hành
    Đăng ký hoạt động cơ sở in
1.001225 | KHCN | 5 | 4 | 001 | 0.5 | b | 0.3 | 0.5 | Tiêu chuẩn đo lường chất lượng
    Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận hợp chuẩn của tổ chức chứng nhận
1.003866 | KHCN | 15 | 4 | 111 | 0.3 | b | 0.5 | 1 | An toàn bức xạ và hạt nhân
    Cấp giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y tế
1.009764 | BQLKCN | 10 | 3 | 001 | 0.8 | b | 0.6 | 1.2 | Đầu tư tại Việt Nam
    Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp
1.009780 | BQLKCN | 20 | 3 | 101 | 1.2 | b | 0.8 | 1.5 | Hoạt động xây dựng
    Cấp giấy phép xây dựng đối với công trình trong khu công nghiệp
2.002181 | BDT | 15 | 2 | 001 | 0.3 | s | 0.8 | 1 | Công tác dân tộc
    Xét công nhận, đưa ra khỏi danh sách người có uy tín trong đồng bào dân tộc thiểu số
2.002184 | BDT | 10 | 3 | 001 | 0.5 | c | 0.8 | 1 | Công tác dân tộc
    Hỗ trợ học sinh, sinh viên người dân tộc thiểu số học tại các cơ sở giáo dục
1.009410 | CA | 2 | 4 | 111 | 25 | m | 0.3 | 0.2 | Đăng ký, quản lý phương tiện giao thông
    Đăng ký xe, cấp biển số xe lần đầu
2.002162 | CA | 8 | 4 | 111 | 15 | c | 0.3 | 0.2 | Xuất nhập cảnh
    Cấp hộ chiếu phổ thông ở trong nước tại Công an cấp tỉnh
1.004241 | CA | 10 | 3 | 101 | 1.5 | b | 1.3 | 2 | Phòng cháy, chữa cháy
    Thẩm định thiết kế về phòng cháy và chữa cháy
1.004235 | CA | 7 | 3 | 001 | 1 | b | 1 | 1.5 | Phòng cháy, chữa cháy
    Nghiệm thu về phòng cháy và chữa cháy
"""


def _parse_procedures(text: str) -> list[tuple]:
    records: list[list] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            rec = records[-1]
            rec[1] = f"{rec[1]} {line.strip()}".strip()
            continue
        code, owner, days, level, flags, weight, app, late_f, supp_f, fld = (
            x.strip() for x in line.split("|")
        )
        records.append(
            [code, "", fld, owner, float(days), int(level), int(flags[0]), int(flags[1]),
             int(flags[2]), float(weight), app, float(late_f), float(supp_f)]
        )  # fmt: skip
    return [tuple(r) for r in records]


_PROCEDURES = _parse_procedures(_PROCEDURE_TABLE)
# Procedures whose handling unit changed on a date, besides the department mergers:
# driving licences went from the transport department to the police on 1/3/2025, judicial
# record certificates from the justice department to the police on 1/7/2025, religious affairs
# from the home-affairs department to the new ethnic and religious affairs department.
_OWNER_CHANGES = {
    "1.002809": ((MERGE_DATE, "CA"),),
    "1.002835": ((MERGE_DATE, "CA"),),
    "2.000505": ((COMMUNE_DATE, "CA"),),
    "2.000508": ((COMMUNE_DATE, "CA"),),
    "1.001078": ((MERGE_DATE, "DTTG"),),
}
# Seasonal procedures: month -> volume factor.
_SEASONS = {
    "3.000182": {5: 2.0, 6: 6.0, 7: 8.0, 8: 3.0},
    "1.005142": {7: 15.0, 8: 4.0},
    "1.011607": {10: 3.0, 11: 5.0, 12: 4.0},
    "1.000894": {1: 1.6, 2: 1.3, 11: 1.4, 12: 1.7},
    "1.011441": {12: 1.3},
}
_VARIANTS = (
    "cấp lại",
    "điều chỉnh",
    "gia hạn",
    "trường hợp bị mất, bị hỏng",
    "liên thông",
    "đối với tổ chức",
    "đối với cá nhân",
    "theo thủ tục rút gọn",
    "có yếu tố nước ngoài",
    "trường hợp thay đổi thông tin",
    "lần đầu",
    "trường hợp đặc biệt",
)

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
_MIDDLE = (
    _words("Văn Hữu Đức Minh Quốc Công Thành Xuân Anh Gia Trọng Thanh"),
    _words("Thị Ngọc Thu Thanh Mỹ Kim Bảo Khánh Phương Hồng Diệu Minh"),
)
_GIVEN = (
    _words(
        "An Bình Cường Dũng Đạt Hải Hùng Hưng Khang Khoa Long Minh Nam Nghĩa Phúc Phong Quân Sơn"
        " Tài Thắng Thịnh Tiến Toàn Trung Tuấn Việt Vinh Bảo Duy Hiếu Huy Kiên Lâm Lộc Nhân"
        " Quang Tâm Thái Trí Vũ"
    ),
    _words(
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
_FEEDBACK_TEXT = (
    "đã quá hẹn trả kết quả nhưng chưa được giải quyết",
    "bị yêu cầu bổ sung giấy tờ nhiều lần, mỗi lần một yêu cầu khác",
    "cán bộ tiếp nhận hướng dẫn chưa rõ ràng",
    "nộp trực tuyến nhưng vẫn phải lên bộ phận một cửa nộp bản giấy",
    "không liên lạc được với cán bộ thụ lý để hỏi tiến độ",
    "thu phí không đúng với mức niêm yết",
    "kết quả trả về có sai sót thông tin",
)


@dataclass
class _Units:
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    valid_from: list[str] = field(default_factory=list)
    valid_to: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # province dept district commune new_commune
    keys: list[str] = field(default_factory=list)
    pop: list[float] = field(default_factory=list)
    late_a: list[float] = field(default_factory=list)
    late_b: list[float] = field(default_factory=list)
    online: list[float] = field(default_factory=list)

    def add(
        self,
        uid: str,
        name: str,
        level: str,
        kind: str,
        *,
        parent: str = "",
        key: str = "",
        pop: float = 0.0,
        late: tuple[float, float] = (0.05, 0.05),
        online: float = 1.0,
        valid_from: str = "",
        valid_to: str = "",
        successor: str = "",
    ) -> int:
        self.ids.append(uid)
        self.names.append(name)
        self.levels.append(level)
        self.kinds.append(kind)
        self.parents.append(parent)
        self.keys.append(key)
        self.pop.append(pop)
        self.late_a.append(late[0])
        self.late_b.append(late[1])
        self.online.append(online)
        self.valid_from.append(valid_from)
        self.valid_to.append(valid_to)
        self.successors.append(successor)
        return len(self.ids) - 1


_PROFILES = {  # late share at the start / end of the period
    "good": (0.02, 0.015),
    "average": (0.07, 0.06),
    "improving": (0.25, 0.05),
    "worsening": (0.04, 0.22),
    "bad": (0.40, 0.33),
}
_PROFILE_NAMES = tuple(_PROFILES)
_PROFILE_P = (0.45, 0.2, 0.15, 0.12, 0.08)


def _place_names(rng: np.random.Generator) -> list[str]:
    """All two-syllable invented place names, in a fixed shuffled order."""
    combos = [f"{a} {b}" for a in _SYL_A for b in _SYL_B if a != b]
    order = rng.permutation(len(combos))
    return [combos[i] for i in order]


# --scale large: 450 pre-2025 communes in 60 districts, ~150 communes after 1/7/2025, ~700 units.
_LARGE_COMMUNES = 450
# Bumped whenever the generated data's shape changes, so that cached benchmark data is remade.
SHAPE = 2


def _build_units(scale: str) -> _Units:
    rng = np.random.default_rng([_STRUCT_SEED, 1 if scale == "large" else 0])
    u = _Units()
    pid = f"000.00.00.{PROVINCE_CODE}"
    u.add(pid, "Ủy ban nhân dân tỉnh Minh Họa", "province", "province", late=(0.25, 0.2))
    deps = _DEPARTMENTS + (_DEPARTMENTS_LARGE if scale == "large" else ())
    dep_ids = {key: f"000.00.{num:02d}.{PROVINCE_CODE}" for key, num, *_ in deps}
    for key, _num, name, la, lb, onl in sorted(deps, key=lambda d: d[1]):
        succ = _MERGERS.get(key)
        u.add(
            dep_ids[key],
            name,
            "department",
            "dept",
            parent=pid,
            key=key,
            late=(la, lb),
            online=onl,
            valid_from=MERGE_DATE.isoformat() if key in _NEW_2025 else "",
            valid_to=(MERGE_DATE - timedelta(days=1)).isoformat() if succ else "",
            successor=dep_ids[succ] if succ else "",
        )
    names = iter(_place_names(rng))
    end_district = (COMMUNE_DATE - timedelta(days=1)).isoformat()
    if scale == "large":
        sizes = rng.integers(7, 14, 60)
        sizes = np.maximum(4, sizes + (_LARGE_COMMUNES - sizes.sum()) // 60)
        sizes[-1] += _LARGE_COMMUNES - sizes.sum()
        districts = []
        for i, size in enumerate(sizes):
            kind = "city" if i == 0 else "town" if i < 6 else "rural"
            prefix = {"city": "Thành phố", "town": "Thị xã", "rural": "Huyện"}[kind]
            districts.append((f"{prefix} {next(names)}", kind, int(size)))
    else:
        districts = list(_SAMPLE_DISTRICTS)
    new_count = 0
    for di, (dname, dkind, size) in enumerate(districts):
        did = f"000.00.{40 + di:02d}.{PROVINCE_CODE}"
        prof = _PROFILES[_PROFILE_NAMES[rng.choice(5, p=_PROFILE_P)]]
        u.add(
            did,
            dname,
            "district",
            "district",
            parent=pid,
            pop=float(size) * rng.uniform(0.7, 1.3),
            late=(prof[0] * rng.uniform(0.8, 1.2), prof[1] * rng.uniform(0.8, 1.2)),
            online=float(rng.uniform(0.7, 1.25)),
            valid_to=end_district,
        )
        # group the district's communes into new communes of 2-4 (1/7/2025)
        groups: list[list[int]] = []
        left = size
        while left > 0:
            g = int(min(left, rng.integers(2, 5)))
            if left - g == 1:
                g += 1
            groups.append([0] * g)
            left -= g
        ci = 0
        for g in groups:
            new_count += 1
            nidx = new_count - 1
            nid = f"000.{nidx % 99 + 1:02d}.{30 + nidx // 99:02d}.{PROVINCE_CODE}"
            if dkind == "island":
                nname = f"Đặc khu {dname.split('đảo ')[-1]}"
            elif dkind == "city" or (dkind == "town" and ci < size // 2):
                nname = f"Phường {next(names)}"
            else:
                nname = f"Xã {next(names)}"
            olds = []
            for _ in g:
                ci += 1
                if dkind == "city" or (dkind == "town" and ci <= size // 2):
                    cname = f"Phường {next(names)}"
                elif dkind != "island" and ci == 1:
                    cname = f"Thị trấn {next(names)}"
                else:
                    cname = f"Xã {next(names)}"
                prof = _PROFILES[_PROFILE_NAMES[rng.choice(5, p=_PROFILE_P)]]
                olds.append(
                    (
                        f"000.{ci:02d}.{40 + di:02d}.{PROVINCE_CODE}",
                        cname,
                        float(rng.lognormal(0, 0.5)) * (2.0 if dkind == "city" else 1.0),
                        (prof[0] * rng.uniform(0.7, 1.3), prof[1] * rng.uniform(0.7, 1.3)),
                        float(rng.uniform(0.6, 1.3)),
                    )
                )
            for oid, cname, pop, late, onl in olds:
                u.add(
                    oid,
                    cname,
                    "commune",
                    "commune",
                    parent=did,
                    pop=pop,
                    late=late,
                    online=onl,
                    valid_to=end_district,
                    successor=nid,
                )
            prof = _PROFILES[_PROFILE_NAMES[rng.choice(5, p=_PROFILE_P)]]
            u.add(
                nid,
                nname,
                "commune",
                "new_commune",
                parent=pid,
                pop=sum(o[2] for o in olds),
                late=(prof[0] * rng.uniform(0.7, 1.3), prof[1] * rng.uniform(0.7, 1.3)),
                online=float(np.mean([o[4] for o in olds])),
                valid_from=COMMUNE_DATE.isoformat(),
            )
    return u


@dataclass
class _Procs:
    codes: list[str]
    names: list[str]
    fields: list[str]
    owners: list[str]
    days: np.ndarray
    level: np.ndarray
    fee: np.ndarray
    pay: np.ndarray
    doc: np.ndarray
    weight: np.ndarray
    app: list[str]
    late_f: np.ndarray
    supp_f: np.ndarray


def _build_procedures(scale: str) -> _Procs:
    rows = [list(p) for p in _PROCEDURES]
    if scale == "large":
        rng = np.random.default_rng([_STRUCT_SEED, 2])
        base = list(_PROCEDURES)
        bw = np.array([p[9] for p in base], dtype=float)
        used: dict[tuple[int, int], int] = {}
        extra_owners = [d[0] for d in _DEPARTMENTS_LARGE if d[0] not in _MERGERS]
        for i in range(1800 - len(base)):
            b = int(rng.choice(len(base), p=np.sqrt(bw) / np.sqrt(bw).sum()))
            v = int(rng.integers(0, len(_VARIANTS)))
            n = used.get((b, v), 0) + 1
            used[(b, v)] = n
            row = list(base[b])
            suffix = _VARIANTS[v] if n == 1 else f"{_VARIANTS[v]} - {n}"
            row[0] = f"{1 + i % 3}.{900001 + i:06d}"
            row[1] = f"{base[b][1]} ({suffix})"
            # The long tail is rare: in a real province most of the volume falls on a hundred
            # or so procedures and many others see a handful of dossiers a year, or none.
            row[9] = base[b][9] * float(rng.uniform(0.0005, 0.02))
            if row[3] not in ("COMM", "DIST", "PROV") and rng.random() < 0.06:
                row[3] = extra_owners[int(rng.integers(0, len(extra_owners)))]
            rows.append(row)
    return _Procs(
        codes=[r[0] for r in rows],
        names=[r[1] for r in rows],
        fields=[r[2] for r in rows],
        owners=[r[3] for r in rows],
        days=np.array([r[4] for r in rows], dtype=float),
        level=np.array([r[5] for r in rows], dtype=np.int64),
        fee=np.array([r[6] for r in rows], dtype=bool),
        pay=np.array([r[7] for r in rows], dtype=bool),
        doc=np.array([r[8] for r in rows], dtype=bool),
        weight=np.array([r[9] for r in rows], dtype=float),
        app=[r[10] for r in rows],
        late_f=np.array([r[11] for r in rows], dtype=float),
        supp_f=np.array([r[12] for r in rows], dtype=float),
    )


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


class _Sink:
    """One output table file; every column is text (empty cell = null), same as the CSV."""

    def __init__(self, path: Path, columns: tuple[str, ...], fmt: str, *, bom: bool = False):
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.rows = 0
        self._file = None
        if fmt == "csv":
            self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
            if bom:
                self._file.write(b"\xef\xbb\xbf")
            self._writer = pacsv.CSVWriter(
                self._file,
                self.schema,
                write_options=pacsv.WriteOptions(quoting_style="needed"),
            )
        else:
            self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, arrays: list) -> None:
        arrays = [a if isinstance(a, pa.Array) else pa.array(a, type=pa.string()) for a in arrays]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> int:
        self._writer.close()
        if self._file is not None:
            self._file.close()
        return self.rows


def _write_table(out: Path, name: str, columns, arrays, fmt: str) -> int:
    sink = _Sink(out / f"{name}.{fmt}", tuple(columns), fmt)
    sink.write(arrays)
    return sink.close()


def _clean(out: Path) -> None:
    """Remove only the files this generator writes (in either format)."""
    for name in TABLE_FILES:
        for ext in ("csv", "parquet"):
            (out / f"{name}.{ext}").unlink(missing_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    folder = out / "dossiers"
    if folder.is_dir():
        for f in folder.iterdir():
            if re.fullmatch(r"\d{4}-\d{2}\.(csv|parquet)", f.name):
                f.unlink()


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


def _add_months(d: date, months: int) -> date:
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, 1)


class _Generator:
    def __init__(self, out: Path, dossiers: int, seed: int, scale: str, fmt: str, as_of: date):
        self.out, self.n_total, self.seed, self.scale, self.fmt = out, dossiers, seed, scale, fmt
        self.as_of = as_of
        n_months = 36 if scale == "large" else 26
        self.start = _add_months(date(as_of.year, as_of.month, 1), -(n_months - 1))
        self.months = [_add_months(self.start, i) for i in range(n_months)]
        self.month_days = np.array([_day(m) for m in self.months] + [_day(as_of) + 1])
        self.d0, self.asof_day = _day(self.start), _day(as_of)
        self.asof_end = (self.asof_day + 1) * DAY - 1
        self.span = max(1, self.asof_day - self.d0)
        self.units = _build_units(scale)
        self.procs = _build_procedures(scale)
        self._prepare()

    # -- static arrays -----------------------------------------------------------------------
    def _prepare(self) -> None:
        u, p = self.units, self.procs
        self.nu, self.np_ = len(u.ids), len(p.codes)
        self.u_ids = pa.array(u.ids, type=pa.string())
        self.u_late_a = np.array(u.late_a)
        self.u_late_b = np.array(u.late_b)
        self.u_online = np.array(u.online)
        kinds = np.array(u.kinds)
        urng = np.random.default_rng([_STRUCT_SEED, 3])
        self.u_sync = np.where(kinds == "commune", urng.uniform(0.86, 0.995, self.nu), 0.985)
        self.u_digit = urng.uniform(0.7, 1.2, self.nu)
        self.u_eres = urng.uniform(0.6, 1.15, self.nu)
        self.u_rate = urng.uniform(0.15, 0.45, self.nu)
        self.u_supp = urng.uniform(0.6, 1.5, self.nu)
        self.u_fb = urng.uniform(0.7, 1.4, self.nu)
        key_idx = {k: i for i, k in enumerate(u.keys) if k}
        self.province = 0
        # epochs: 0 before 1/3/2025, 1 until 30/6/2025, 2 after
        self.epoch_start = (date(1900, 1, 1), MERGE_DATE, COMMUNE_DATE)
        owner = np.zeros((3, self.np_), dtype=np.int64)
        for e, es in enumerate(self.epoch_start):
            for j, (code, own) in enumerate(zip(p.codes, p.owners, strict=True)):
                for when, new in _OWNER_CHANGES.get(code, ()):
                    if es >= when:
                        own = new
                if own == "DIST":
                    owner[e, j] = -1 if es < COMMUNE_DATE else -2
                elif own == "COMM":
                    owner[e, j] = -2
                elif own == "PROV":
                    owner[e, j] = self.province
                else:
                    if es >= MERGE_DATE:
                        own = _MERGERS.get(own, own)
                    owner[e, j] = key_idx[own]
        self.owner = owner
        pop = np.array(u.pop)
        self.pools = []
        for e in range(3):
            late_commune = e == 2
            dist = np.nonzero(kinds == "district")[0]
            comm = np.nonzero(kinds == ("new_commune" if late_commune else "commune"))[0]
            self.pools.append({-1: (dist, np.cumsum(pop[dist])), -2: (comm, np.cumsum(pop[comm]))})
        # unit validity (days) for the no-dossier ratings and feedback
        self.u_from = np.array(
            [_day(date.fromisoformat(v)) if v else -(10**6) for v in u.valid_from]
        )
        self.u_to = np.array([_day(date.fromisoformat(v)) if v else 10**7 for v in u.valid_to])
        # applicant type draws per procedure
        app_p = {
            "c": (0.97, 0.0, 0.0, 0.03),
            "b": (0.0, 0.9, 0.0, 0.1),
            "m": (0.6, 0.3, 0.05, 0.05),
            "s": (0.0, 0.0, 1.0, 0.0),
            "o": (0.0, 0.1, 0.0, 0.9),
        }
        self.p_app_cum = np.cumsum(np.array([app_p[a] for a in p.app]), axis=1)
        self.p_codes = pa.array(p.codes, type=pa.string())
        short = [n if len(n) <= 70 else n[:70].rsplit(" ", 1)[0] + "…" for n in p.names]
        self.p_short = pa.array(short, type=pa.string())
        # monthly procedure mix (seasonality)
        self.p_cum = np.zeros((13, self.np_))
        for mo in range(1, 13):
            w = p.weight.copy()
            for code, season in _SEASONS.items():
                if code in p.codes:
                    w[p.codes.index(code)] *= season.get(mo, 1.0)
            self.p_cum[mo] = np.cumsum(w)
        # name pieces
        self.family = pa.array([f for f, _ in _FAMILY])
        self.family_cum = np.cumsum([w for _, w in _FAMILY])
        self.middle = [pa.array(x) for x in _MIDDLE]
        self.given = [pa.array(x) for x in _GIVEN]
        brands = _place_names(np.random.default_rng([_STRUCT_SEED, 4]))[:400]
        self.brands = pa.array(brands)
        self.sectors = pa.array(_SECTORS)
        self.yymmdd = _fmt_time(
            np.arange(self.d0 - 40, self.asof_day + 2, dtype=np.int64) * DAY, None, "date"
        )
        self.yymmdd = pc.utf8_slice_codeunits(pc.replace_substring(self.yymmdd, "-", ""), 2, 8)
        self.yymmdd_base = self.d0 - 40
        # counters for the official scores: (unit, month)
        nm = len(self.months)
        self.cnt = {
            k: np.zeros(self.nu * nm)
            for k in (
                "rec",
                "online",
                "synced",
                "digit",
                "reuse",
                "store",
                "cit",
                "vneid",
                "fee",
                "feepaid",
                "res",
                "ontime",
                "resdoc",
                "eres",
            )
        }

    # -- daily volumes -----------------------------------------------------------------------
    def _day_counts(self) -> tuple[np.ndarray, np.ndarray]:
        days = np.arange(self.d0, self.asof_day + 1, dtype=np.int64)
        dd = days.astype("M8[D]")
        bus = np.is_busday(dd, busdaycal=_CAL)
        t = (days - self.d0) / 365.25
        w = bus * (1.0 + 0.2 * t)
        dow = ((days + 3) % 7).astype(int)  # 0 = Monday
        w *= np.array([1.12, 1.0, 1.0, 0.98, 0.93, 0.0, 0.0])[dow]
        moy = dd.astype("M8[M]").astype(np.int64) % 12 + 1
        w *= np.array([0, 1.02, 0.92, 1.0, 1.0, 1.0, 1.02, 1.02, 1.0, 1.0, 1.0, 1.04, 1.1])[moy]
        for tet in _TET:
            td = _day(date.fromisoformat(tet))
            rel = days - td
            w = np.where((rel >= -16) & (rel < -6), w * 1.25, w)
            w = np.where((rel >= -6) & (rel < 0), w * 0.85, w)
            w = np.where((rel >= 5) & (rel < 12), w * 0.55, w)
            w = np.where((rel >= 12) & (rel < 19), w * 0.85, w)
        rng = np.random.default_rng([self.seed, 0])
        counts = rng.multinomial(self.n_total, w / w.sum()) if w.sum() > 0 else w.astype(int)
        return days, counts

    # -- one month of dossiers ---------------------------------------------------------------
    def _month(self, k: int, days: np.ndarray, counts: np.ndarray):
        rng = np.random.default_rng([self.seed, 1, k])
        mstart = self.months[k]
        e = 2 if mstart >= COMMUNE_DATE else 1 if mstart >= MERGE_DATE else 0
        day = np.repeat(days, counts)
        n = len(day)
        p = self.procs
        t = (day - self.d0) / self.span

        # procedure, then the unit that handles it
        cum = self.p_cum[mstart.month]
        proc = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), self.np_ - 1)
        unit = self.owner[e][proc].copy()
        for code in (-1, -2):
            sel = np.nonzero(unit == code)[0]
            pool, pcum = self.pools[e][code]
            pick = np.searchsorted(pcum, rng.random(len(sel)) * pcum[-1], side="right")
            unit[sel] = pool[np.minimum(pick, len(pool) - 1)]

        # channel
        lvl = p.level[proc]
        base = np.where(lvl == 4, 0.30 + 0.45 * t, np.where(lvl == 3, 0.12 + 0.33 * t, 0.0))
        p_on = np.clip(base * self.u_online[unit], 0, 0.95)
        r = rng.random(n)
        channel = np.where(r < p_on, 2, np.where(r < p_on + 0.02, 3, 1))
        online = channel == 2

        # receipt and submission
        recv_tod = _work_tod(rng, n)
        recv = day * DAY + recv_tod
        lag = np.where(
            online,
            np.clip(rng.exponential(20 * HOUR, n), 300, 7 * DAY),
            np.where(channel == 3, rng.integers(1, 4, n) * DAY, rng.integers(0, 1200, n)),
        ).astype(np.int64)
        sub = recv - lag

        # due date: statutory working days after receipt
        sdays = p.days[proc]
        half = sdays < 1
        due_day = _busday_offset(day, np.ceil(sdays).astype(np.int64))
        due_day = np.where(half & (recv_tod < 15 * HOUR), day, due_day)
        due_tod = np.where(half, 17 * HOUR, recv_tod)
        due = due_day * DAY + due_tod
        s_eff = _busday_count(day, due_day)

        # outcome: early / on the due date / late
        late_p = self.u_late_a[unit] + (self.u_late_b[unit] - self.u_late_a[unit]) * t
        late_p = np.clip(late_p * p.late_f[proc], 0, 0.9)
        late = rng.random(n) < late_p
        k_ok = np.floor(rng.random(n) ** 1.6 * s_eff).astype(np.int64)
        k_ok = np.where(rng.random(n) < 0.12, s_eff, k_ok)
        over = np.floor(rng.exponential(2.0 + 12 * late_p)).astype(np.int64)
        tail = rng.random(n) < 0.05 * (late_p > 0.2)
        over = over + tail * rng.integers(15, 160, n)
        stuck = late & (rng.random(n) < 0.12 * late_p)  # still open at the as-of date
        over = np.where(stuck, 5_000, over)
        kk = np.where(late, s_eff + 1 + over, k_ok)
        fin_day = _busday_offset(day, kk)
        fin_tod = _work_tod(rng, n)
        same = fin_day == day
        fin_tod = np.where(
            same,
            recv_tod + 900 + (rng.random(n) * np.maximum(900, 62_000 - recv_tod)).astype(np.int64),
            fin_tod,
        )

        # supplementation rounds (pause the clock; new due = old due + pause)
        p_s = np.clip(0.12 * p.supp_f[proc] * self.u_supp[unit], 0, 0.6)
        rounds = (rng.random(n) < p_s).astype(np.int64)
        rounds += (rounds == 1) & (rng.random(n) < 0.12)
        req = np.zeros((2, n), np.int64)
        sup = np.zeros((2, n), np.int64)
        newdue = np.zeros((2, n), np.int64)
        i1 = np.nonzero(rounds >= 1)[0]
        if len(i1):
            r1 = np.floor(rng.random(len(i1)) * kk[i1]).astype(np.int64)
            rq_day = _busday_offset(day[i1], r1)
            rq_tod = np.where(
                r1 == 0,
                recv_tod[i1] + rng.integers(600, 3 * HOUR, len(i1)),
                _work_tod(rng, len(i1)),
            )
            rq = rq_day * DAY + rq_tod
            gap = np.minimum(1 + rng.geometric(1 / 6, len(i1)), 45)
            sp_day = _busday_offset(rq_day + gap, 0)
            sp = sp_day * DAY + _work_tod(rng, len(i1))
            req[0, i1], sup[0, i1] = rq, sp
            newdue[0, i1] = due[i1] + (sp - rq)
            fd = _busday_offset(fin_day[i1], _busday_count(rq_day, sp_day))
            ft = np.where(fd == sp_day, np.maximum(fin_tod[i1], sp % DAY + 600), fin_tod[i1])
            ft = np.where(fd == rq_day, np.maximum(ft, rq_tod + 600), ft)
            fin_day[i1], fin_tod[i1] = fd, ft
            i2 = i1[rounds[i1] == 2]
            if len(i2):
                s1 = sup[0, i2]
                s1_day = s1 // DAY
                c = _busday_count(s1_day, fin_day[i2])
                r2 = np.floor(rng.random(len(i2)) * (c + 1)).astype(np.int64)
                rq_day = _busday_offset(s1_day, r2)
                rq = rq_day * DAY + np.where(
                    r2 == 0,
                    s1 % DAY + rng.integers(600, 2 * HOUR, len(i2)),
                    _work_tod(rng, len(i2)),
                )
                fts = fin_day[i2] * DAY + fin_tod[i2]
                rq = np.where(rq >= fts, s1 + (fts - s1) // 2, rq)
                rq_day = rq // DAY
                gap = np.minimum(1 + rng.geometric(1 / 5, len(i2)), 30)
                sp_day = _busday_offset(rq_day + gap, 0)
                sp = sp_day * DAY + _work_tod(rng, len(i2))
                req[1, i2], sup[1, i2] = rq, sp
                newdue[1, i2] = newdue[0, i2] + (sp - rq)
                fd = _busday_offset(fin_day[i2], _busday_count(rq_day, sp_day))
                ft = np.where(fd == sp_day, np.maximum(fin_tod[i2], sp % DAY + 600), fin_tod[i2])
                fin_day[i2], fin_tod[i2] = fd, ft
        fin_tod = np.minimum(fin_tod, DAY - 1)
        fin = fin_day * DAY + fin_tod

        # result handed over / sent by post
        by_post = ((channel == 3) & (rng.random(n) < 0.85)) | (rng.random(n) < 0.03 + 0.05 * t)
        ret_gap = np.where(
            by_post, rng.integers(1, 4, n), np.floor(rng.exponential(1.2, n)).astype(np.int64)
        )
        ret_day = _busday_offset(fin_day, ret_gap)
        ret_tod = _work_tod(rng, n)
        ret_tod = np.where(
            ret_day == fin_day, np.maximum(ret_tod, np.minimum(fin_tod + 600, DAY - 1)), ret_tod
        )
        ret = ret_day * DAY + np.minimum(ret_tod, DAY - 1)

        # status as of the as-of date
        end = self.asof_end
        ended = fin <= end
        u = rng.random(n)
        st7 = ended & (u < 0.018)
        st8 = ended & (u >= 0.018) & (u < 0.03)
        resolved = ended & ~st7 & ~st8
        handed = resolved & (ret <= end) & ((rng.random(n) < 0.62) | by_post)
        status = np.full(n, 4, dtype=np.int64)
        status[resolved] = 9
        status[handed] = 10
        status[st7] = 7
        status[st8] = 8
        is_open = ~ended
        open_round = np.zeros(n, bool)
        for i in range(2):
            has = (rounds > i) & (req[i] <= end) & (sup[i] > end)
            open_round |= has
        fee = p.fee[proc]
        status[is_open & open_round] = 5
        st6 = is_open & ~open_round & fee & (rng.random(n) < 0.18)
        status[st6] = 6
        recent = day >= self._last_busdays(1)
        st2 = is_open & ~open_round & ~st6 & recent & (rng.random(n) < 0.6)
        status[st2] = 2
        # registered online but not accepted (1), refused at intake (3)
        u = rng.random(n)
        st3 = online & (u < 0.02)
        recent3 = day >= self._last_busdays(3)
        st1 = online & ~st3 & ((recent3 & (u < 0.3)) | (u > 0.999))
        status[st3] = 3
        status[st1] = 1
        received = ~(st1 | st3)
        # never accepted: the submission (at any hour) is the only event; it dates the row
        sub = np.where(received, sub, day * DAY + rng.integers(6 * HOUR, 23 * HOUR, n))
        rounds[~received] = 0
        open_round &= received

        # flags
        has_fin = np.isin(status, (7, 8, 9, 10))
        no_fin = (status == 10) & (rng.random(n) < 0.015)
        fin_ok = has_fin & ~no_fin
        ret_ok = status == 10
        rm_post = ret_ok & by_post
        synced = rng.random(n) < np.clip(self.u_sync[unit] + 0.01 * t, 0, 1)
        dig_p = np.clip((0.35 + 0.5 * t + 0.15 * online) * self.u_digit[unit], 0, 0.98)
        digit = received & (rng.random(n) < dig_p)
        reuse = digit & (rng.random(n) < 0.25 + 0.45 * t)
        store = received & online & (rng.random(n) < 0.04 + 0.25 * t)
        resolved = np.isin(status, (9, 10))
        doc = p.doc[proc]
        eres_p = np.where(doc, np.clip((0.35 + 0.55 * t) * self.u_eres[unit], 0, 0.98), 0.2)
        eres = resolved & (rng.random(n) < eres_p)
        app = (rng.random(n)[:, None] > self.p_app_cum[proc]).sum(axis=1) + 1
        app = np.minimum(app, 4)
        vneid_p = np.where(online, 0.75 + 0.23 * t, 0.1 + 0.5 * t)
        vneid = (app == 1) & (rng.random(n) < vneid_p)
        pay_on = fee & online & (rng.random(n) < 0.5 + 0.4 * t)
        pay_direct = fee & ~online & (rng.random(n) < 0.04 + 0.2 * t)
        paid = np.where(pay_on, np.where(p.pay[proc] & (rng.random(n) < 0.75), 1, 2), 0)
        paid = np.where(pay_direct, 2, paid)
        paid = np.where(received, paid, 0)

        # the adjusted due date and lateness, for ratings and feedback
        due_adj = np.where(rounds >= 2, newdue[1], np.where(rounds >= 1, newdue[0], due))
        late_final = (fin // DAY > due_adj // DAY) | (rounds >= 2)

        # counters for the official scores (main rows only)
        self._count(k, unit, received, online, synced, digit, reuse, store, app, vneid, fee, paid)
        self._count_resolved(unit, resolved & fin_ok, fin, late_final, doc, eres)

        # -- deliberately bad rows (~0.3%): converted in place, they have no child rows ----
        nochild = np.zeros(n, bool)
        bad_kind = np.zeros(n, np.int64)
        dup_of = np.full(n, -1, np.int64)
        proc_code = proc.copy()
        due_ok = received.copy()
        recv_ok = received.copy()
        sub_ok = np.ones(n, bool)
        nbad = rng.poisson(n * 0.0007, 4)
        for kind in range(4):
            if k == 3 + 5 * kind and n > 20:
                nbad[kind] = max(nbad[kind], 1)
        cand = np.nonzero(received & (rounds == 0) & (bad_kind == 0))[0]
        if len(cand) > 2 * nbad.sum() + 2:
            pick = rng.choice(cand, size=2 * int(nbad.sum()), replace=False)
            pos = 0
            for kind in range(4):
                for _ in range(int(nbad[kind])):
                    j, i = int(pick[pos]), int(pick[pos + 1])
                    pos += 2
                    bad_kind[j] = kind + 1
                    nochild[j] = True
                    if kind == 0:  # due date before receipt
                        due[j] = recv[j] - int(rng.integers(DAY, 3 * DAY))
                    elif kind == 1:  # unknown procedure code
                        proc_code[j] = -1 - int(rng.integers(0, 2))
                    elif kind == 2:  # status 4 without NgayTiepNhan
                        status[j] = 4
                        recv_ok[j] = False
                        fin_ok[j] = ret_ok[j] = rm_post[j] = eres[j] = False
                    else:  # the same MaHoSo twice: an earlier snapshot synced again
                        nochild[i] = True
                        dup_of[j] = i
                        for arr in (day, unit, proc, proc_code, channel, recv, sub, due):
                            arr[j] = arr[i]
                        for arr in (app, paid, synced, digit, reuse, store, vneid):
                            arr[j] = arr[i]
                        status[j] = 4
                        fin_ok[j] = ret_ok[j] = rm_post[j] = eres[j] = False
                        recv_ok[j], due_ok[j] = recv_ok[i], due_ok[i]

        # -- order by event time, then ids ------------------------------------------------------
        ev = np.where(received, recv, sub)  # always on `day`, the row's day of receipt
        order = np.lexsort((np.arange(n), ev))
        inv = np.empty(n, np.int64)
        inv[order] = np.arange(n)

        def o(a):
            return a[order]

        unit_o = o(unit)
        ev_day = o(day)
        key = unit_o * 100_000 + (ev_day - self.yymmdd_base)
        o2 = np.lexsort((np.arange(n), key))
        ks = key[o2]
        starts = np.r_[True, ks[1:] != ks[:-1]] if n else np.array([], bool)
        first = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) if n else starts
        seq = np.empty(n, np.int64)
        seq[o2] = np.arange(n) - first + 1
        ids = _join(
            _take(self.u_ids, unit_o),
            _take(self.yymmdd, ev_day - self.yymmdd_base),
            pc.utf8_lpad(_fmt_int(seq), 4, "0"),
            sep="-",
        )
        src = np.arange(n)
        dup_o = o(dup_of)
        dpos = np.nonzero(dup_o >= 0)[0]
        src[dpos] = inv[dup_o[dpos]]
        ids = ids.take(pa.array(src))

        # -- dossier table ------------------------------------------------------------------------
        style = "vn" if mstart.strftime("%Y-%m") in VN_FORMAT_MONTHS else "dvcqg"
        pc_o = o(proc_code)
        fake = np.array(["T-Z99-285417-TT", "1.00119"])
        code_arr = pc.if_else(
            pa.array(pc_o >= 0),
            _take(self.p_codes, np.maximum(pc_o, 0)),
            _take(pa.array(fake), np.maximum(-1 - pc_o, 0)),
        )
        status_o = o(status)
        app_o = o(app)
        src_pa = pa.array(src)
        names = self._names(rng, app_o).take(src_pa)
        proc_o = o(proc)
        cols = [
            ids,
            _take(self.u_ids, unit_o),
            code_arr,
            _fmt_int(o(channel)),
            _fmt_int(status_o),
            _fmt_time(o(sub), o(sub_ok), style),
            _fmt_time(o(recv), o(recv_ok), style),
            _fmt_time(o(due), o(due_ok), style),
            _fmt_time(o(fin), o(fin_ok), style),
            _fmt_time(o(ret), o(ret_ok), style),
            _fmt_int(o(rm_post).astype(np.int64), o(ret_ok)),
            _fmt_int(o(paid)),
            _fmt_int(o(synced).astype(np.int64)),
            _fmt_int(o(digit).astype(np.int64)),
            _fmt_int(o(reuse).astype(np.int64)),
            _fmt_int(o(store).astype(np.int64)),
            _fmt_int(o(eres).astype(np.int64)),
            _fmt_int(o(vneid).astype(np.int64)),
            _fmt_int(app_o),
            names,
            _join("09", _digits(rng, n, 8)).take(src_pa),
            _join("099", _digits(rng, n, 9)).take(src_pa),
            _join(_take(self.p_short, proc_o), names, sep=" - "),
        ]
        dossier_table = (cols, style == "vn")

        # -- supplements ----------------------------------------------------------------------
        rounds_o = o(rounds)
        child_ok = ~o(nochild)
        sup_parts = []
        for i in range(2):
            req_o, sup_o, nd_o = o(req[i]), o(sup[i]), o(newdue[i])
            sel = np.nonzero((rounds_o > i) & (req_o <= end) & child_ok)[0]
            done = sup_o[sel] <= end
            sup_parts.append((sel, i, req_o[sel], sup_o[sel], nd_o[sel], done))
        sel = np.concatenate([s[0] for s in sup_parts])
        rnd = np.concatenate([np.full(len(s[0]), s[1]) for s in sup_parts])
        srt = np.lexsort((rnd, sel))
        supplements = [
            ids.take(pa.array(sel[srt])),
            _fmt_time(np.concatenate([s[2] for s in sup_parts])[srt], None, "dvcqg"),
            _fmt_time(
                np.concatenate([s[3] for s in sup_parts])[srt],
                np.concatenate([s[5] for s in sup_parts])[srt],
                "dvcqg",
            ),
            _fmt_time(
                np.concatenate([s[4] for s in sup_parts])[srt],
                np.concatenate([s[5] for s in sup_parts])[srt],
                "dvcqg",
            ),
        ]

        # -- ratings ------------------------------------------------------------------------------
        res_o = np.isin(status_o, (9, 10)) & child_ok
        late_o = o(late_final)
        base_ts = np.where(status_o == 10, o(ret), o(fin))
        rated = res_o & (rng.random(n) < self.u_rate[unit_o])
        rts = base_ts + (rng.random(n) * 3 * DAY).astype(np.int64)
        rsel = np.nonzero(rated & (rts <= end))[0]
        good = np.array([0.01, 0.02, 0.05, 0.22, 0.70]).cumsum()
        bad = np.array([0.08, 0.12, 0.20, 0.25, 0.35]).cumsum()
        rr = rng.random(len(rsel))
        score = np.where(
            late_o[rsel], np.searchsorted(bad, rr, side="right"), np.searchsorted(good, rr, "right")
        )
        score = np.minimum(score, 4) + 1
        # a few ratings given at the desk, not tied to a dossier
        nk = int(rng.poisson(max(0.5, len(rsel) * 0.006)))
        kday = days[counts > 0] if counts.sum() else np.array([self.d0])
        kd = rng.choice(kday, nk) if nk else np.zeros(0, np.int64)
        ku = self._active_units(rng, kd)
        kts = kd * DAY + _work_tod(rng, nk)
        ks_ = rng.choice(5, nk, p=[0.03, 0.04, 0.1, 0.28, 0.55]) + 1
        r_ids = pa.concat_arrays([ids.take(pa.array(rsel)), pa.nulls(nk, pa.string())])
        r_unit = np.concatenate([unit_o[rsel], ku])
        r_ts = np.concatenate([rts[rsel], kts])
        r_score = np.concatenate([score, ks_])
        r_person = pa.concat_arrays([names.take(pa.array(rsel)), pa.nulls(nk, pa.string())])
        rorder = np.lexsort((np.arange(len(r_ts)), r_ts))
        ratings = (
            r_ids.take(pa.array(rorder)),
            r_unit[rorder],
            r_ts[rorder],
            r_score[rorder],
            r_person.take(pa.array(rorder)),
        )

        # -- feedback (PAKN) ----------------------------------------------------------------------
        rec_o = o(received) & child_ok
        p_fb = (0.0015 + 0.02 * late_o) * self.u_fb[unit_o]
        fsel = np.nonzero(rec_o & (rng.random(n) < p_fb))[0]
        due_o = o(due_adj)
        fday = np.where(
            late_o[fsel],
            due_o[fsel] // DAY + rng.integers(1, 16, len(fsel)),
            ev_day[fsel] + rng.integers(1, 11, len(fsel)),
        )
        nf = int(rng.poisson(max(0.3, len(fsel) * 0.2)))
        fkd = rng.choice(kday, nf) if nf else np.zeros(0, np.int64)
        feedback = {
            "dossier": pa.concat_arrays([ids.take(pa.array(fsel)), pa.nulls(nf, pa.string())]),
            "unit": np.concatenate([unit_o[fsel], self._active_units(rng, fkd)]),
            "day": np.concatenate([fday, fkd + rng.integers(0, 5, nf)]),
            "late": np.concatenate([late_o[fsel], np.zeros(nf, bool)]),
            "person": pa.concat_arrays(
                [names.take(pa.array(fsel)), self._names(rng, np.ones(nf, np.int64))]
            ),
        }
        return dossier_table, supplements, ratings, feedback

    def _last_busdays(self, k: int) -> int:
        """The first day of the last k + 1 working days up to the as-of date."""
        last = np.busday_offset(np.datetime64(self.as_of, "D"), 0, roll="backward", busdaycal=_CAL)
        return int(np.busday_offset(last, -k, busdaycal=_CAL).astype(np.int64))

    def _active_units(self, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
        """Random units (departments and communes) that existed on each day."""
        out = np.zeros(len(days), np.int64)
        kinds = np.array(self.units.kinds)
        cand = np.nonzero(np.isin(kinds, ("dept", "commune", "new_commune")))[0]
        for i, d in enumerate(days):  # a handful of rows per month
            ok = cand[(self.u_from[cand] <= d) & (self.u_to[cand] >= d)]
            out[i] = ok[int(rng.integers(0, len(ok)))]
        return out

    def _names(self, rng: np.random.Generator, app: np.ndarray) -> pa.Array:
        n = len(app)
        female = rng.random(n) < 0.5
        fam = np.searchsorted(self.family_cum, rng.random(n) * self.family_cum[-1], "right")
        fam = np.minimum(fam, len(_FAMILY) - 1)
        mid = rng.integers(0, 12, n)
        giv = rng.integers(0, 40, n)
        mid_s = pc.if_else(pa.array(female), _take(self.middle[1], mid), _take(self.middle[0], mid))
        giv_s = pc.if_else(pa.array(female), _take(self.given[1], giv), _take(self.given[0], giv))
        person = _join(_take(self.family, fam), mid_s, giv_s, sep=" ")
        org_type = pa.array([t for a in (2, 3, 4) for t in _ORG_TYPES[a]], type=pa.string())
        ti = (np.clip(app, 2, 4) - 2) * 5 + rng.integers(0, 5, n)
        kind = _take(org_type, ti)
        brand = _take(self.brands, rng.integers(0, len(self.brands), n))
        sector = _take(self.sectors, rng.integers(0, len(_SECTORS), n))
        org = pc.if_else(
            pa.array(app == 2), _join(kind, sector, brand, sep=" "), _join(kind, brand, sep=" ")
        )
        return pc.if_else(pa.array(app == 1), person, org)

    def _count(self, k, unit, received, online, synced, digit, reuse, store, app, vneid, fee, paid):
        nm = len(self.months)
        idx = unit * nm + k
        size = self.nu * nm
        sel = received

        def add(name, mask):
            self.cnt[name] += np.bincount(idx[sel & mask], minlength=size)

        add("rec", np.ones_like(sel))
        add("online", online)
        add("synced", synced)
        add("digit", digit)
        add("reuse", reuse)
        add("store", store)
        add("cit", app == 1)
        add("vneid", vneid)
        add("fee", fee)
        add("feepaid", fee & (paid > 0))

    def _count_resolved(self, unit, mask, fin, late, doc, eres):
        nm = len(self.months)
        mi = np.searchsorted(self.month_days, fin // DAY, side="right") - 1
        ok = mask & (mi >= 0) & (mi < nm)
        idx = unit * nm + np.clip(mi, 0, nm - 1)
        size = self.nu * nm
        self.cnt["res"] += np.bincount(idx[ok], minlength=size)
        self.cnt["ontime"] += np.bincount(idx[ok & ~late], minlength=size)
        self.cnt["resdoc"] += np.bincount(idx[ok & doc], minlength=size)
        self.cnt["eres"] += np.bincount(idx[ok & doc & eres], minlength=size)

    # -- run ----------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        out = self.out
        out.mkdir(parents=True, exist_ok=True)
        _clean(out)
        (out / "dossiers").mkdir(exist_ok=True)
        fmt = self.fmt
        counts: dict[str, int] = {}
        counts["agencies"] = self._write_agencies()
        counts["procedures"] = self._write_procedures()
        days, day_counts = self._day_counts()
        sup_sink = _Sink(out / f"supplements.{fmt}", SUPPLEMENT_COLUMNS, fmt)
        rat_sink = _Sink(out / f"ratings.{fmt}", RATING_COLUMNS, fmt)
        n_dossiers = 0
        n_ratings = 0
        fb_parts = []
        for k, m in enumerate(self.months):
            lo, hi = self.month_days[k], self.month_days[k + 1]
            sel = (days >= lo) & (days < hi)
            if day_counts[sel].sum() == 0:
                continue
            (cols, bom), sup, rat, fb = self._month(k, days[sel], day_counts[sel])
            sink = _Sink(out / "dossiers" / f"{m:%Y-%m}.{fmt}", DOSSIER_COLUMNS, fmt, bom=bom)
            sink.write(cols)
            n_dossiers += sink.close()
            sup_sink.write(sup)
            r_ids, r_unit, r_ts, r_score, r_person = rat
            rid = _join("DG", pc.utf8_lpad(_fmt_int(np.arange(len(r_ts)) + 1 + n_ratings), 8, "0"))
            n_ratings += len(r_ts)
            if k == 5:  # two ratings that point at dossiers the data does not have
                r_ids = pa.concat_arrays(
                    [r_ids, pa.array([f"{self.units.ids[1]}-990101-0001"] * 2, pa.string())]
                )
                r_unit = np.concatenate([r_unit, [1, 1]])
                r_ts = np.concatenate([r_ts, r_ts[-1:].repeat(2) if len(r_ts) else [lo * DAY] * 2])
                r_score = np.concatenate([r_score, [1, 2]])
                r_person = pa.concat_arrays([r_person, pa.nulls(2, pa.string())])
                rid = pa.concat_arrays(
                    [rid, _join("DG", pc.utf8_lpad(_fmt_int(np.arange(2) + 1 + n_ratings), 8, "0"))]
                )
                n_ratings += 2
            rat_sink.write(
                [
                    rid,
                    r_ids,
                    _take(self.u_ids, r_unit),
                    _fmt_time(r_ts, None, "iso"),
                    _fmt_int(r_score),
                    r_person,
                ]
            )
            fb_parts.append(fb)
        counts["dossiers"] = n_dossiers
        counts["supplements"] = sup_sink.close()
        counts["ratings"] = rat_sink.close()
        counts["feedback"] = self._write_feedback(fb_parts)
        counts["procedure_publications"] = self._write_publications()
        counts["official_scores"] = self._write_scores()
        self._write_marker()
        return counts

    def _write_marker(self) -> None:
        text = (
            "# Dữ liệu giả lập (synthetic data): the build shows a banner on every page.\n"
            f'province_name = "{PROVINCE_NAME}"\n'
            "synthetic = true\n"
            'note = "Dữ liệu giả lập do máy sinh ngẫu nhiên để minh họa. Tỉnh Minh Họa không có '
            "thật; mọi cơ quan, hồ sơ, tên người, số điện thoại và số giấy tờ đều là bịa đặt và "
            'không mô tả bất kỳ tỉnh, cơ quan hay người dân có thật nào."\n'
            f'generator = "minhbach.sample {__version__}"\n'
            f"seed = {self.seed}\n"
            f"as_of = {self.as_of.isoformat()}\n"
            f'scale = "{self.scale}"\n'
            f"dossiers = {self.n_total}\n"
            f"shape = {SHAPE}\n"
        )
        (self.out / MARKER).write_text(text, encoding="utf-8")

    def _write_agencies(self) -> int:
        u = self.units
        cols = [u.ids, u.names, u.levels, u.parents, u.valid_from, u.valid_to, u.successors]
        cols = [pa.array([v or None for v in c], type=pa.string()) for c in cols]
        return _write_table(self.out, "agencies", AGENCY_COLUMNS, cols, self.fmt)

    def _write_procedures(self) -> int:
        p = self.procs
        days = [f"{d:g}" for d in p.days]
        cols = [
            p.codes,
            p.names,
            p.fields,
            [str(v) for v in p.level],
            days,
            [str(int(v)) for v in p.fee],
            [str(int(v)) for v in p.pay],
            [str(int(v)) for v in p.doc],
        ]
        return _write_table(self.out, "procedures", PROCEDURE_COLUMNS, cols, self.fmt)

    def _write_feedback(self, parts: list[dict]) -> int:
        rng = np.random.default_rng([self.seed, 2])
        dossier = (
            pa.concat_arrays([f["dossier"] for f in parts]) if parts else pa.array([], pa.string())
        )
        unit = np.concatenate([f["unit"] for f in parts]) if parts else np.zeros(0, np.int64)
        fday = np.concatenate([f["day"] for f in parts]) if parts else np.zeros(0, np.int64)
        late = np.concatenate([f["late"] for f in parts]) if parts else np.zeros(0, bool)
        person = (
            pa.concat_arrays([f["person"] for f in parts]) if parts else pa.array([], pa.string())
        )
        n = len(fday)
        fday = _busday_offset(fday, 0)
        rts = fday * DAY + rng.integers(7 * HOUR, 21 * HOUR, n)
        keep = rts <= self.asof_end
        order = np.nonzero(keep)[0]
        order = order[np.lexsort((order, rts[order]))]
        dossier, person = dossier.take(pa.array(order)), person.take(pa.array(order))
        unit, fday, late, rts = unit[order], fday[order], late[order], rts[order]
        n = len(order)
        due_day = _busday_offset(fday, 10)
        due = due_day * DAY + 17 * HOUR
        r = rng.random(n)
        p_late = 0.1 + 0.5 * (self.u_late_a[unit] + self.u_late_b[unit])
        res_late = r < p_late
        unresolved = (r >= p_late) & (r < p_late + 0.06)
        res_day = np.where(
            res_late,
            _busday_offset(due_day, rng.integers(1, 25, n)),
            _busday_offset(fday, np.floor(rng.random(n) * 11).astype(np.int64)),
        )
        res = res_day * DAY + _work_tod(rng, n)
        res = np.maximum(res, rts + 3600)
        res_ok = ~unresolved & (res <= self.asof_end)
        on_time = res_ok & (res // DAY <= due_day)
        v = rng.random(n)
        sat = np.where(on_time, np.where(v < 0.65, 1, np.where(v < 0.78, 0, -1)), -1)
        sat = np.where(res_ok & ~on_time, np.where(v < 0.25, 1, np.where(v < 0.7, 0, -1)), sat)
        topic = np.where(
            dossier.is_null().to_numpy(zero_copy_only=False),
            rng.choice(3, n, p=[0.3, 0.4, 0.3]),
            rng.choice(3, n, p=[0.65, 0.22, 0.13]),
        )
        text_i = np.where(late, 0, rng.integers(1, len(_FEEDBACK_TEXT), n))
        ids = _join("PAKN-", pc.utf8_lpad(_fmt_int(np.arange(1, n + 1)), 6, "0"))
        body = _join(
            "Tôi là ",
            person,
            pc.if_else(
                dossier.is_null(),
                pa.scalar(", phản ánh: ", pa.string()),
                _join(", hồ sơ số ", pc.fill_null(dossier, ""), " của tôi "),
            ),
            _take(list(_FEEDBACK_TEXT), text_i),
            ". Số điện thoại liên hệ: 09",
            _digits(rng, n, 8),
            ". Đề nghị cơ quan xem xét, trả lời.",
        )
        cols = [
            ids,
            _take(self.u_ids, unit),
            dossier,
            _fmt_time(rts, None, "vn_min"),
            _fmt_time(due, None, "vn_min"),
            _fmt_time(res, res_ok, "vn_min"),
            _fmt_int(np.maximum(sat, 0), sat >= 0),
            _take(["procedure", "staff", "other"], topic),
            body,
        ]
        return _write_table(self.out, "feedback", FEEDBACK_COLUMNS, cols, self.fmt)

    def _write_publications(self) -> int:
        rng = np.random.default_rng([self.seed, 3])
        p = self.procs
        rows_proc, rows_due = [], []
        per_month = 6 if self.scale == "sample" else 25
        for m in self.months:
            if m >= date(self.as_of.year, self.as_of.month, 1):
                nb = int(rng.poisson(per_month / 2))
            elif m == MERGE_DATE:  # re-announce everything of the merged departments
                nb = 0
                merged = [
                    j for j, o in enumerate(p.owners) if o in _MERGERS or o in ("TC", "XD", "NV")
                ]
                rows_proc += merged
                rows_due += [_day(m) + int(rng.integers(0, 10)) for _ in merged]
            elif m == COMMUNE_DATE:  # commune-level and district-level procedures
                nb = 0
                local = [j for j, o in enumerate(p.owners) if o in ("COMM", "DIST")]
                rows_proc += local
                rows_due += [_day(m) + int(rng.integers(0, 10)) for _ in local]
            else:
                nb = int(rng.poisson(per_month))
            if nb:
                pick = rng.choice(self.np_, size=min(nb, self.np_), replace=False)
                rows_proc += [int(x) for x in pick]
                rows_due += [_day(m) + int(x) for x in rng.integers(0, 28, len(pick))]
        proc = np.array(rows_proc, np.int64)
        due = np.array(rows_due, np.int64)
        n = len(proc)
        late = rng.random(n) < 0.12
        published = np.where(late, due + rng.integers(1, 26, n), due - rng.integers(0, 8, n))
        pub_ok = published <= self.asof_day
        public_due = _busday_offset(published, 5)
        late2 = rng.random(n) < 0.1
        made = np.where(
            late2, public_due + rng.integers(1, 16, n), public_due - rng.integers(0, 5, n)
        )
        made = np.maximum(made, published)
        made_ok = pub_ok & (made <= self.asof_day)
        complete = rng.random(n) < 0.94
        order = np.lexsort((proc, due))
        cols = [
            [self.units.ids[self.province]] * n,
            _take(self.p_codes, proc[order]),
            _fmt_time(due[order] * DAY, None, "date"),
            _fmt_time(published[order] * DAY, pub_ok[order], "date"),
            _fmt_time(public_due[order] * DAY, pub_ok[order], "date"),
            _fmt_time(made[order] * DAY, made_ok[order], "date"),
            _fmt_int(complete[order].astype(np.int64), made_ok[order]),
        ]
        return _write_table(self.out, "procedure_publications", PUBLICATION_COLUMNS, cols, self.fmt)

    def _write_scores(self) -> int:
        """Plausible published scores: an approximation of the index plus noise, rounded."""
        rng = np.random.default_rng([self.seed, 4])
        nm = len(self.months)
        complete = [
            i for i in range(nm) if _add_months(self.months[i], 1) <= self.as_of + timedelta(days=1)
        ]
        rows: list[tuple[str, str, str, str]] = []

        def ratio(a, b, idx, default=0.0):
            num = sum(self.cnt[a][i] for i in idx)
            den = sum(self.cnt[b][i] for i in idx)
            return num / den if den else default

        def groups(units: list[int], ks: list[int], province: bool) -> dict[str, float]:
            idx = [u * nm + k for u in units for k in ks]
            ontime = ratio("ontime", "res", idx, 1.0)
            online = ratio("online", "rec", idx)
            g = {
                "CKMB": (6 * 0.9 + 4 * 0.88 + 2 * 0.94 if province else 0)
                + 6 * ratio("synced", "rec", idx, 1.0),
                "TDGQ": 20 * ontime * 0.97,
                "CLGQ": 2 + 4 * 0.85 + 6 * min(1.0, online / 0.5),
                "TTTT": 6 * ratio("feepaid", "fee", idx) + 1.6 + 1.5,
                "MDSH": 6 * ratio("eres", "resdoc", idx)
                + 4 * ratio("digit", "rec", idx)
                + 2 * min(1.0, ratio("reuse", "rec", idx) / 0.8)
                + 4 * ratio("store", "rec", idx)
                + (6 * ratio("vneid", "cit", idx) if province else 0),
                "MDHL": 5.4 + 5.0 + 6 * min(1.0, ontime / 0.9),
            }
            maxima = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}
            out = {}
            for key, val in g.items():
                out[key] = float(np.clip(val + rng.normal(0, 0.6), 0, maxima[key]))
            assessed = 100 if province else 82
            out["TOTAL"] = sum(out.values()) / assessed * 100
            return out

        prov = self.units.ids[self.province]
        all_units = list(range(self.nu))
        for k in complete[-6:]:
            period = f"{self.months[k]:%Y-%m}"
            for gname, val in groups(all_units, [k], True).items():
                rows.append((prov, period, gname, f"{val:.2f}"))
        quarters: dict[str, list[int]] = {}
        for k in complete:
            m = self.months[k]
            quarters.setdefault(f"{m.year}-Q{(m.month - 1) // 3 + 1}", []).append(k)
        for q, ks in list(quarters.items())[-3:]:
            if len(ks) == 3:
                rows.append((prov, q, "TOTAL", f"{groups(all_units, ks, True)['TOTAL']:.2f}"))
        keys = ("CA", "TC", "NNMT", "XD", "YT")
        key_idx = {kk: i for i, kk in enumerate(self.units.keys) if kk}
        for key in keys:
            if key not in key_idx:
                continue
            for k in complete[-2:]:
                period = f"{self.months[k]:%Y-%m}"
                total = groups([key_idx[key]], [k], False)["TOTAL"]
                rows.append((self.units.ids[key_idx[key]], period, "TOTAL", f"{total:.2f}"))
        cols = [[r[i] for r in rows] for i in range(4)]
        return _write_table(self.out, "official_scores", SCORE_COLUMNS, cols, self.fmt)


def generate(
    out_dir: Path,
    *,
    dossiers: int = 100_000,
    seed: int = 20261115,
    scale: str = "sample",
    fmt: str = "csv",
    as_of: date = DEFAULT_AS_OF,
) -> dict[str, int]:
    """Write the synthetic province into ``out_dir``; return the row count of every table."""
    if scale not in ("sample", "large"):
        raise ValueError(f"scale must be 'sample' or 'large', not {scale!r}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if dossiers < 0:
        raise ValueError("dossiers must not be negative")
    return _Generator(Path(out_dir), dossiers, seed, scale, fmt, as_of).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minhbach.sample",
        description="Write the fictional sample province (synthetic data) into a folder.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--dossiers", type=int, default=100_000, help="number of dossiers")
    parser.add_argument("--seed", type=int, default=20261115)
    parser.add_argument("--scale", choices=("sample", "large"), default="sample")
    parser.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(
        args.out,
        dossiers=args.dossiers,
        seed=args.seed,
        scale=args.scale,
        fmt=args.fmt,
        as_of=args.as_of,
    )
    elapsed = time.perf_counter() - started
    for name, rows in counts.items():
        print(f"{name:24s} {rows:>12,d}")
    print(f"written to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
