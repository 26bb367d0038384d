"""Writing the open-data downloads: the public contract of ``/du-lieu/``.

Six tables built by the SQL (``queries/``) are written, each as CSV, JSON and Parquet, under
``du-lieu/<name>.<ext>``, described by a Frictionless Data Package v2 descriptor
(``du-lieu/datapackage.json``) and bundled in ``du-lieu/minhbach-du-lieu.zip``. Every unit also
gets its own rows (figures and 766 scores per period) at ``co-quan/<slug>/<slug>.csv``.

The files are a contract that journalists cite, so:

- Columns: the key columns of site.md first, in its order, then every further column of the
  table except internal ones (names starting with ``_``, ``points_exact``, ``rank_order``,
  ``synthetic_row``). A missing table or key column stops the build (:class:`BuildError`).
- Rows are sorted by the dataset's primary key (all columns where there is none), and the
  primary key is checked to be unique and non-empty, so the same input gives the same bytes.
- CSV: UTF-8 with a byte-order mark (Excel then shows Vietnamese), RFC 4180 (comma, ``"``
  quoting only where needed, ``""`` escapes, CRLF line ends), a header row; numbers unquoted with
  a ``.`` decimal point and never an exponent, booleans ``true``/``false``, dates
  ``2026-03-31``, timestamps ``2026-03-31T10:00:00``, NULL as an empty cell (an empty text is
  ``""``). Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a
  leading ``'`` against formula injection (OWASP "CSV injection"); numbers are never touched.
- JSON: one array of objects, keys in column order, NULL as ``null``; not neutralised.
- Parquet: typed columns, zstd.
- A big table (its CSV over :data:`COMPRESS_OVER`, 50 MB) is published with its CSV and JSON
  gzip-compressed (``<name>.csv.gz``, ``<name>.json.gz``; deterministic gzip, level 6) and its
  Parquet as usual: a site must fit its host (GitHub Pages: 1 GB in all), a 400 MB CSV of two
  million rows cannot be opened in Excel anyway (1,048,576 rows at most), and every tool that
  reads CSV reads it gzipped. The descriptor says so (``compression: "gz"``) and the page too.
- The zip is the data package itself: the descriptor and every table's CSV (as published), the
  files the descriptor names; JSON and Parquet are the same tables in other formats, one link
  each.
- A floating-point value that is not finite (NaN, ±inf) is written as NULL in every format.

All the writing is done by DuckDB's ``COPY ... TO`` (streamed, multi-threaded); the formatting
rules are SQL expressions built here, so two million rows take seconds, not minutes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from .errors import BuildError, InvariantError

__all__ = [
    "DATAPACKAGE_NAME",
    "DATASETS",
    "ZIP_NAME",
    "ColumnInfo",
    "DatasetInfo",
    "DatasetSpec",
    "DownloadFile",
    "DownloadMeta",
    "License",
    "gzip_copy",
    "package_files",
    "write_downloads",
    "write_unit_csvs",
]

DATAPACKAGE_NAME = "datapackage.json"
ZIP_NAME = "minhbach-du-lieu.zip"
UPDATE_FREQUENCY = "hằng ngày"
FORMATS = ("csv", "json", "parquet")
MEDIATYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "zip": "application/zip",
    "gz": "application/gzip",
}
# A table whose CSV is larger than this is published with its CSV and JSON gzip-compressed
# (see the module's docstring). The benchmark province (5M dossiers): procedure_metrics' CSV is
# 400 MB and its JSON 900 MB, 20 and 25 MB gzipped; the bundled sample's largest CSV is 7 MB.
COMPRESS_OVER = 50_000_000  # bytes (50 MB, as the pages count them)
# zlib level 6 (gzip's default): about 20 times smaller for these files; level 1 is twice as
# fast and 40-80% larger.
GZIP_LEVEL = 6
GZIP_CHUNK = 1 << 20
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Deflate level of the zip's text files: level 1 compresses CSV and JSON 4-8 times faster
# than the default 6, for a file about 15% larger (two million synthetic rows).
ZIP_LEVEL = 1

# Never published, whatever the table holds.
INTERNAL_COLUMNS = frozenset({"points_exact", "rank_order", "synthetic_row"})
# Excel and LibreOffice read a cell starting with one of these as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------------------------
# What is written


@dataclass(frozen=True)
class License:
    """A licence of the data package (Data Package v2 ``licenses`` item)."""

    name: str
    title: str
    path: str


# The computed figures are published under CC BY 4.0: anyone may reuse and republish them,
# commercially too, provided they name the source. It is the licence of the Open Definition
# that suits a public-sector derived dataset and the one most journalists already know.
CC_BY_4 = License(
    name="CC-BY-4.0",
    title="Creative Commons Attribution 4.0 International",
    path="https://creativecommons.org/licenses/by/4.0/",
)


@dataclass(frozen=True)
class DownloadMeta:
    """What the descriptor says about this build."""

    province_name: str
    as_of: dt.date
    build_time: dt.datetime  # local time (Asia/Ho_Chi_Minh) when naive
    rule_set: str
    synthetic: bool
    site_url: str = ""
    license: License = CC_BY_4


@dataclass(frozen=True)
class DatasetSpec:
    """One download of site.md: its source table, key columns and primary key."""

    name: str
    table: str
    title: str
    description: str
    row_text: str  # "one row per", in Vietnamese
    key_columns: tuple[str, ...]
    primary_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime, time
    description: str  # Vietnamese
    sql_type: str  # the DuckDB type, as DESCRIBE shows it


@dataclass(frozen=True)
class DownloadFile:
    format: str  # csv, json, parquet, zip: what the data is
    name: str  # file name inside du-lieu/ (the link is du-lieu/<name>)
    bytes: int  # of the file as published (compressed when ``compression``)
    sha256: str
    mediatype: str  # of the file as published (application/gzip when compressed)
    compression: str = ""  # "gz" for <name>.<format>.gz
    plain_bytes: int | None = None  # of the data uncompressed (compressed files only)
    plain_sha256: str = ""


@dataclass(frozen=True)
class DatasetInfo:
    """What the /du-lieu/ page lists for one download."""

    name: str
    title: str
    description: str
    row_text: str
    rows: int
    columns: tuple[ColumnInfo, ...]
    files: tuple[DownloadFile, ...]  # csv, json, parquet, in that order
    primary_key: tuple[str, ...] = ()
    update_frequency: str = UPDATE_FREQUENCY

    def file(self, fmt: str) -> DownloadFile:
        for f in self.files:
            if f.format == fmt:
                return f
        raise KeyError(fmt)


FIGURES_06A = (
    "carried_over",
    "received_new",
    "received_online",
    "received_direct",
    "received_postal",
    "to_handle",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn_stopped",
    "waiting_applicant",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "refused_at_intake",
    "postal_uses",
)
RATES_06A = ("on_time_pct", "late_pct", "online_pct", "overdue_open_pct", "satisfied_pct")
GROUPS_766 = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")

DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="agency_period_metrics",
        table="agency_period_metrics",
        title="Số liệu giải quyết hồ sơ theo đơn vị và kỳ (mẫu 06a)",
        description=(
            "Số hồ sơ tồn kỳ trước, tiếp nhận mới theo kênh, đã giải quyết (trước hạn, đúng "
            "hạn, quá hạn), rút/dừng, chờ bổ sung, đang giải quyết (trong hạn, quá hạn), từ "
            "chối tiếp nhận, lượt bưu chính công ích, và các tỷ lệ, của từng đơn vị theo "
            "tháng, quý và năm. Cân đối: to_handle = resolved + withdrawn_stopped + "
            "waiting_applicant + in_progress."
        ),
        row_text="một đơn vị trong một kỳ",
        key_columns=(
            "agency_id",
            "agency_name",
            "level",
            "period",
            "period_type",
            "complete",
            *FIGURES_06A,
            *RATES_06A,
        ),
        primary_key=("agency_id", "period", "period_type"),
    ),
    DatasetSpec(
        name="index_766",
        table="index_766",
        title="Chỉ tiêu Bộ chỉ số 766 theo đơn vị và kỳ",
        description=(
            "Từng chỉ tiêu của Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định "
            "766/QĐ-TTg): tử số, mẫu số, tỷ lệ, điểm đạt và điểm tối đa; chỉ tiêu không đánh "
            "giá có assessed = false và điểm để trống."
        ),
        row_text="một chỉ tiêu của một đơn vị trong một kỳ",
        key_columns=(
            "agency_id",
            "period",
            "period_type",
            "group",
            "indicator",
            "numerator",
            "denominator",
            "rate_pct",
            "points",
            "max_points",
            "assessed",
            "rule_set",
        ),
        primary_key=("agency_id", "period", "period_type", "indicator"),
    ),
    DatasetSpec(
        name="scores_766",
        table="scores_766",
        title="Điểm Bộ chỉ số 766, xếp loại và xếp hạng theo đơn vị và kỳ",
        description=(
            "Điểm sáu nhóm chỉ số, tổng điểm, điểm quy về thang 100, xếp loại và thứ hạng "
            "trong cùng cấp của từng đơn vị theo kỳ; điểm chính thức (nếu có) để đối chiếu."
        ),
        row_text="một đơn vị trong một kỳ",
        key_columns=(
            "agency_id",
            "agency_name",
            "level",
            "period",
            "period_type",
            *GROUPS_766,
            "total",
            "assessed_max",
            "total_100",
            "band",
            "rank",
            "rank_of",
            "official_total",
        ),
        primary_key=("agency_id", "period", "period_type"),
    ),
    DatasetSpec(
        name="procedure_metrics",
        table="procedure_metrics",
        title="Số liệu theo thủ tục hành chính, đơn vị và kỳ",
        description=(
            "Số hồ sơ tiếp nhận và đã giải quyết, tỷ lệ đúng hạn, số ngày giải quyết thực tế "
            "(trung vị, phân vị 90) so với thời hạn theo quy định, của từng thủ tục tại từng "
            "đơn vị theo kỳ."
        ),
        row_text="một thủ tục tại một đơn vị trong một kỳ",
        key_columns=(
            "procedure_id",
            "procedure_name",
            "agency_id",
            "period",
            "period_type",
            "received_new",
            "resolved",
            "on_time_pct",
            "median_days",
            "p90_days",
            "statutory_days",
        ),
        primary_key=("procedure_id", "agency_id", "period", "period_type"),
    ),
    DatasetSpec(
        name="agencies",
        table="dim_agencies",
        title="Danh mục đơn vị",
        description=(
            "Các đơn vị (cơ quan) có trong dữ liệu: mã, tên, đường dẫn trang, cấp, đơn vị cấp "
            "trên, thời gian hoạt động và đơn vị kế nhiệm khi sáp nhập hoặc đổi tên."
        ),
        row_text="một đơn vị",
        key_columns=(
            "agency_id",
            "name",
            "slug",
            "level",
            "parent_id",
            "valid_from",
            "valid_to",
            "successor_id",
        ),
        primary_key=("agency_id",),
    ),
    DatasetSpec(
        name="quarantine",
        table="quarantine",
        title="Dòng dữ liệu đầu vào bị cách ly",
        description=(
            "Các dòng của tệp đầu vào không dùng được để tính (thiếu hoặc sai giá trị bắt "
            "buộc, trùng mã…): bảng, khóa, lý do và vị trí trong tệp. Chỉ có khóa và lý do, "
            "không có giá trị nào khác của dòng."
        ),
        row_text="một dòng đầu vào bị cách ly",
        key_columns=("table", "key", "reason"),
    ),
)

_PCT = "làm tròn nửa lên 2 chữ số thập phân; để trống khi mẫu số bằng 0"
COLUMN_DESCRIPTIONS: dict[str, str] = {
    # units and periods
    "agency_id": "Mã đơn vị (cơ quan) trong dữ liệu nguồn",
    "agency_name": "Tên đơn vị",
    "name": "Tên đơn vị",
    "slug": "Đường dẫn trang của đơn vị trên trang này: /co-quan/<slug>/",
    "level": (
        "Cấp đơn vị: province (cấp tỉnh, cả tỉnh), department (sở, ban, ngành), district "
        "(cấp huyện, trước 1/7/2025), commune (xã, phường, đặc khu), other (khác)"
    ),
    "parent_id": "Mã đơn vị cấp trên",
    "valid_from": "Ngày đơn vị bắt đầu hoạt động (trống: không rõ)",
    "valid_to": "Ngày đơn vị thôi hoạt động (sáp nhập, giải thể); trống nếu còn hoạt động",
    "successor_id": "Mã đơn vị kế nhiệm khi sáp nhập hoặc đổi tên",
    "is_province": "true nếu đơn vị đại diện cho cả tỉnh (số liệu cấp tỉnh)",
    "period": "Kỳ: tháng YYYY-MM, quý YYYY-Qn hoặc năm YYYY",
    "period_type": "Loại kỳ: month (tháng), quarter (quý), year (năm)",
    "complete": (
        "true nếu kỳ đã kết thúc vào ngày chốt số liệu; false nếu kỳ chưa trọn (số liệu "
        "tính đến ngày chốt)"
    ),
    # report 06a (methodology §2)
    "carried_over": "Hồ sơ kỳ trước chuyển sang: tiếp nhận trước kỳ, chưa kết thúc trước đầu kỳ",
    "received_new": "Hồ sơ tiếp nhận mới trong kỳ",
    "received_online": "Hồ sơ tiếp nhận mới trong kỳ qua kênh trực tuyến",
    "received_direct": "Hồ sơ tiếp nhận mới trong kỳ trực tiếp (kể cả không ghi kênh)",
    "received_postal": "Hồ sơ tiếp nhận mới trong kỳ qua dịch vụ bưu chính công ích",
    "to_handle": "Tổng số hồ sơ phải giải quyết: carried_over + received_new",
    "resolved": "Hồ sơ đã giải quyết xong trong kỳ (trạng thái 9, 10)",
    "resolved_early": "Hồ sơ đã giải quyết trước hạn trong kỳ",
    "resolved_on_time": "Hồ sơ đã giải quyết đúng hạn trong kỳ",
    "resolved_late": "Hồ sơ đã giải quyết quá hạn trong kỳ",
    "withdrawn_stopped": "Hồ sơ rút hoặc dừng xử lý trong kỳ (trạng thái 7, 8)",
    "waiting_applicant": "Hồ sơ chưa kết thúc, đang chờ người nộp bổ sung vào cuối kỳ",
    "in_progress": "Hồ sơ đang giải quyết vào cuối kỳ (chưa kết thúc, không chờ bổ sung)",
    "in_progress_within": "Hồ sơ đang giải quyết, còn trong hạn vào cuối kỳ",
    "in_progress_overdue": "Hồ sơ đang giải quyết, đã quá hạn vào cuối kỳ",
    "refused_at_intake": "Hồ sơ bị từ chối tiếp nhận trong kỳ (không tính vào to_handle)",
    "postal_uses": (
        "Lượt sử dụng dịch vụ bưu chính công ích: hồ sơ nộp qua bưu chính và kết quả trả qua "
        "bưu chính trong kỳ"
    ),
    "on_time_pct": f"Tỷ lệ giải quyết trước hạn và đúng hạn (%) trên số đã giải quyết; {_PCT}",
    "late_pct": f"Tỷ lệ giải quyết quá hạn (%) trên số đã giải quyết; {_PCT}",
    "online_pct": f"Tỷ lệ hồ sơ tiếp nhận trực tuyến (%) trên số tiếp nhận mới; {_PCT}",
    "overdue_open_pct": (
        f"Tỷ lệ hồ sơ quá hạn (%) trên số hồ sơ chưa kết thúc (đang giải quyết và chờ bổ "
        f"sung); {_PCT}"
    ),
    "satisfied_pct": f"Tỷ lệ đánh giá hài lòng (4–5 điểm) trên tổng số đánh giá (%); {_PCT}",
    "first_day": "Ngày đầu kỳ",
    "last_day": "Ngày cuối kỳ",
    "exists_in_period": "true nếu đơn vị có hoạt động (còn hiệu lực) trong kỳ",
    "ranked_eligible": (
        "true nếu đơn vị được xét xếp hạng trong kỳ (có hoạt động và có hồ sơ phải giải quyết)"
    ),
    "waiting_within": "Hồ sơ chờ bổ sung, dừng lúc còn trong hạn (phần của waiting_applicant)",
    "waiting_overdue": "Hồ sơ chờ bổ sung, dừng lúc đã quá hạn (phần của waiting_applicant)",
    "ratings": "Số lượt đánh giá mức độ hài lòng trong kỳ",
    "ratings_satisfied": "Số lượt đánh giá hài lòng (4–5 điểm) trong kỳ",
    "ratings_unsatisfied": "Số lượt đánh giá không hài lòng (1–2 điểm) trong kỳ",
    "ratings_1": "Số lượt đánh giá 1 điểm trong kỳ",
    "ratings_2": "Số lượt đánh giá 2 điểm trong kỳ",
    "ratings_3": "Số lượt đánh giá 3 điểm trong kỳ",
    "ratings_4": "Số lượt đánh giá 4 điểm trong kỳ",
    "ratings_5": "Số lượt đánh giá 5 điểm trong kỳ",
    "avg_processing_days": (
        "Số ngày giải quyết thực tế bình quân (ngày lịch, trừ thời gian tạm dừng) của hồ sơ giải "
        "quyết trong kỳ; để xem, không tính điểm; trống khi không có hồ sơ nào"
    ),
    "postal_returns": "Số hồ sơ trả kết quả qua bưu chính công ích trong kỳ (phần của postal_uses)",
    # the 766 index (methodology §3)
    "group": "Nhóm chỉ số: CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL",
    "indicator": "Mã chỉ tiêu (ví dụ 2.1), theo trang Phương pháp",
    "numerator": "Tử số của tỷ lệ",
    "denominator": "Mẫu số của tỷ lệ",
    "rate_pct": f"Tỷ lệ tử số / mẫu số (%); {_PCT}",
    "points": "Điểm đạt, làm tròn 2 chữ số thập phân; trống khi chỉ tiêu không được đánh giá",
    "max_points": "Điểm tối đa của chỉ tiêu",
    "assessed": "true nếu chỉ tiêu được đánh giá; false nếu thiếu dữ liệu đầu vào hoặc mẫu số 0",
    "rule_set": "Tên bộ quy tắc tính điểm (ví dụ qd766-v1), xem trang Phương pháp",
    "indicator_name": "Tên ngắn của chỉ tiêu",
    "not_assessed_reason": "Lý do chỉ tiêu không được đánh giá; trống nếu được đánh giá",
    "CKMB": (
        "Điểm nhóm Công khai, minh bạch (tối đa 18); trống nếu không chỉ tiêu nào của nhóm được "
        "đánh giá"
    ),
    "TDGQ": "Điểm nhóm Tiến độ giải quyết (tối đa 20)",
    "CLGQ": "Điểm nhóm Dịch vụ công trực tuyến (tối đa 12)",
    "TTTT": "Điểm nhóm Thanh toán trực tuyến (tối đa 10)",
    "MDSH": "Điểm nhóm Số hóa hồ sơ (tối đa 22)",
    "MDHL": "Điểm nhóm Mức độ hài lòng (tối đa 18)",
    "total": "Tổng điểm các nhóm (chỉ các chỉ tiêu được đánh giá)",
    "assessed_max": "Tổng điểm tối đa của các chỉ tiêu được đánh giá",
    "total_100": "Điểm quy về thang 100: total / assessed_max × 100, làm tròn nửa lên 2 chữ số",
    "band": "Xếp loại theo total_100: Xuất sắc, Tốt, Khá, Trung bình, Yếu",
    "rank": "Thứ hạng trong cùng cấp và kỳ (1, 2, 2, 4 khi bằng điểm); trống nếu không xếp hạng",
    "rank_of": "Số đơn vị cùng cấp được xếp hạng trong kỳ",
    "official_total": (
        "Tổng điểm chính thức do cơ quan có thẩm quyền công bố (nếu có), để đối chiếu"
    ),
    "ranked": "true nếu đơn vị được xếp hạng trong kỳ",
    "not_assessed": "Mã các chỉ tiêu không được đánh giá, cách nhau bằng dấu phẩy",
    "official_diff": "Chênh lệch total_100 − official_total",
    "official_flag": "true nếu chênh lệch với điểm chính thức lớn hơn ngưỡng cho phép (1 điểm)",
    "official_CKMB": "Điểm chính thức nhóm CKMB (nếu có)",
    "official_TDGQ": "Điểm chính thức nhóm TDGQ (nếu có)",
    "official_CLGQ": "Điểm chính thức nhóm CLGQ (nếu có)",
    "official_TTTT": "Điểm chính thức nhóm TTTT (nếu có)",
    "official_MDSH": "Điểm chính thức nhóm MDSH (nếu có)",
    "official_MDHL": "Điểm chính thức nhóm MDHL (nếu có)",
    "official_flagged_groups": "Các nhóm (và TOTAL) có điểm chính thức lệch quá ngưỡng",
    "previous_period": "Kỳ liền trước cùng loại",
    "previous_total_100": "total_100 của kỳ liền trước",
    "change_total_100": "Thay đổi total_100 so với kỳ liền trước",
    # procedures
    "procedure_id": "Mã thủ tục hành chính",
    "procedure_name": "Tên thủ tục hành chính",
    "median_days": (
        "Trung vị số ngày giải quyết thực tế (ngày lịch, trừ thời gian tạm dừng) của hồ sơ giải "
        "quyết trong kỳ"
    ),
    "p90_days": (
        "Phân vị 90 của số ngày giải quyết thực tế (ngày lịch, trừ thời gian tạm dừng) của hồ sơ "
        "giải quyết trong kỳ"
    ),
    "statutory_days": "Thời hạn giải quyết theo quy định (ngày làm việc)",
    # quarantine
    "table": "Bảng đầu vào có dòng bị cách ly",
    "key": "Khóa của dòng bị cách ly (mã hồ sơ, mã đơn vị…), tối đa 64 ký tự",
    "reason": "Lý do cách ly",
    "source": "Tệp đầu vào chứa dòng",
    "line": "Số thứ tự dòng trong tệp đầu vào",
}

# Where a name means something else in one download.
DATASET_COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "procedure_metrics": {
        "received_new": "Hồ sơ của thủ tục tiếp nhận mới trong kỳ tại đơn vị",
        "resolved": "Hồ sơ của thủ tục đã giải quyết xong trong kỳ tại đơn vị (trạng thái 9, 10)",
        "resolved_on_time": ("Hồ sơ đã giải quyết trước hạn hoặc đúng hạn (tử số của on_time_pct)"),
        "received_online": "Hồ sơ tiếp nhận trực tuyến trong kỳ (tử số của online_pct)",
    },
}


def column_description(dataset: str, column: str, table: str) -> str:
    """The Vietnamese description of a published column."""
    special = DATASET_COLUMN_DESCRIPTIONS.get(dataset, {})
    if column in special:
        return special[column]
    return COLUMN_DESCRIPTIONS.get(column, f"Cột {column} của bảng {table}")


# --------------------------------------------------------------------------------------------
# Columns, types and the SQL that formats them


@dataclass(frozen=True)
class _Column:
    name: str
    sql_type: str
    kind: str  # text, integer, decimal, float, boolean, date, datetime, datetime_tz, time

    @property
    def schema_type(self) -> str:
        return {
            "text": "string",
            "integer": "integer",
            "decimal": "number",
            "float": "number",
            "boolean": "boolean",
            "date": "date",
            "datetime": "datetime",
            "datetime_tz": "datetime",
            "time": "time",
        }[self.kind]


_INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}


def _kind(sql_type: str) -> str | None:
    t = sql_type.upper()
    if t == "VARCHAR" or t.startswith("ENUM(") or t == "UUID":
        return "text"
    if t in _INTEGER_TYPES:
        return "integer"
    if t.startswith("DECIMAL"):
        return "decimal"
    if t in ("DOUBLE", "FLOAT"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE":
        return "date"
    if t in ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):
        return "datetime"
    if t == "TIMESTAMP WITH TIME ZONE":
        return "datetime_tz"
    if t == "TIME":
        return "time"
    return None


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _value_sql(col: _Column, ref: str) -> str:
    """The column as stored, except non-finite floats become NULL (all formats)."""
    if col.kind == "float":
        return f"CASE WHEN isfinite({ref}) THEN {ref} END"
    return ref


def _plain_number_sql(ref: str) -> str:
    """A DOUBLE/FLOAT as text without an exponent: DuckDB's shortest round-trip digits, with
    ``1e-05`` spelled ``0.00001`` and ``1e+16`` spelled ``10000000000000000``. Values between
    0.001 and 10^15 (and zero) never get an exponent and take the fast first branch."""
    s = f"CAST({ref} AS VARCHAR)"
    mantissa = f"split_part(ltrim({s}, '-'), 'e', 1)"
    digits = f"replace({mantissa}, '.', '')"
    point = f"(length(split_part({mantissa}, '.', 1)) + CAST(split_part({s}, 'e', 2) AS INTEGER))"
    placed = (
        f"CASE WHEN {point} <= 0 THEN '0.' || repeat('0', -{point}) || {digits} "
        f"WHEN {point} >= length({digits}) "
        f"THEN {digits} || repeat('0', {point} - length({digits})) "
        f"ELSE left({digits}, {point}) || '.' || substr({digits}, {point} + 1) END"
    )
    sign = f"CASE WHEN starts_with({s}, '-') THEN '-' ELSE '' END"
    return (
        f"CASE WHEN abs({ref}) < 1e15 AND (abs({ref}) >= 0.001 OR {ref} = 0) THEN {s} "
        f"WHEN NOT isfinite({ref}) THEN NULL "
        f"WHEN NOT contains({s}, 'e') THEN {s} "
        f"ELSE {sign} || {placed} END"
    )


def _neutralised_sql(ref: str) -> str:
    """A text cell with a leading ' when a spreadsheet would read it as a formula."""
    s = f"CAST({ref} AS VARCHAR)"
    prefixes = ", ".join(
        "chr(9)" if p == "\t" else "chr(13)" if p == "\r" else _lit(p) for p in FORMULA_PREFIXES
    )
    return f"CASE WHEN left({s}, 1) IN ({prefixes}) THEN '''' || {s} ELSE {s} END"


def _iso_datetime_sql(col: _Column, ref: str) -> str:
    if col.kind == "datetime_tz":
        return f"replace(CAST(timezone('UTC', {ref}) AS VARCHAR), ' ', 'T') || 'Z'"
    return f"replace(CAST({ref} AS VARCHAR), ' ', 'T')"


def _csv_sql(col: _Column, ref: str) -> str:
    if col.kind == "text":
        return _neutralised_sql(ref)
    if col.kind == "float":
        return _plain_number_sql(ref)
    if col.kind in ("datetime", "datetime_tz"):
        return _iso_datetime_sql(col, ref)
    return ref


def _json_sql(col: _Column, ref: str) -> str:
    if col.kind in ("datetime", "datetime_tz"):
        return _iso_datetime_sql(col, ref)
    if col.kind == "time":
        return f"CAST({ref} AS VARCHAR)"
    return _value_sql(col, ref)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    try:
        rows = con.execute(f"DESCRIBE {_q(table)}").fetchall()
    except duckdb.CatalogException:
        raise BuildError(f"tải về: không có bảng {table} (cần cho /du-lieu/)") from None
    return [(r[0], r[1]) for r in rows]


def _published_columns(
    con: duckdb.DuckDBPyConnection, table: str, key_columns: tuple[str, ...]
) -> list[_Column]:
    """Key columns first (site.md order), then the table's other public columns."""
    available = dict(_table_columns(con, table))
    missing = [c for c in key_columns if c not in available]
    if missing:
        raise BuildError(f"tải về: bảng {table} thiếu cột {', '.join(missing)} (site.md)")
    names = list(key_columns) + [
        name
        for name in available
        if name not in key_columns and not name.startswith("_") and name not in INTERNAL_COLUMNS
    ]
    columns = []
    for name in names:
        kind = _kind(available[name])
        if kind is None:
            raise BuildError(
                f"tải về: cột {table}.{name} có kiểu {available[name]} không ghi được ra CSV"
            )
        columns.append(_Column(name, available[name], kind))
    return columns


def _order_by(columns: list[str], alias: str = "t") -> str:
    return ", ".join(f"{alias}.{_q(c)} ASC NULLS LAST" for c in columns)


def _check_primary_key(
    con: duckdb.DuckDBPyConnection, table: str, primary_key: tuple[str, ...]
) -> None:
    keys = ", ".join(_q(c) for c in primary_key)
    nulls = " OR ".join(f"{_q(c)} IS NULL" for c in primary_key)
    (dupes,) = con.execute(
        f"SELECT count(*) FROM (SELECT {keys} FROM {_q(table)} GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    (empty,) = con.execute(f"SELECT count(*) FROM {_q(table)} WHERE {nulls}").fetchone()
    if dupes or empty:
        raise InvariantError(
            f"tải về: bảng {table} có {dupes} khóa ({', '.join(primary_key)}) trùng và "
            f"{empty} dòng khóa trống"
        )


# --------------------------------------------------------------------------------------------
# Writing


@contextmanager
def _ordered_writes(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """COPY keeps ORDER BY only while insertion order is preserved (the pipeline turns it off
    to save memory while computing): turn it on for the writes, then restore it."""
    (before,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")


_CSV_OPTIONS = (
    "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', "
    "NEW_LINE e'\\r\\n', NULLSTR ''"
)
BOM = "\ufeff"


def _csv_select(columns: list[_Column], source: str, order: str) -> str:
    """The CSV query; the byte-order mark rides at the start of the first header name, so
    DuckDB writes it as the file's first bytes (no second pass over the file)."""
    parts = []
    for i, col in enumerate(columns):
        alias = (BOM + col.name) if i == 0 else col.name
        parts.append(f"{_csv_sql(col, 't.' + _q(col.name))} AS {_q(alias)}")
    return f"SELECT {', '.join(parts)} FROM {source} AS t ORDER BY {order}"


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> int:
    result = con.execute(f"COPY ({query}) TO {_lit(str(path))} ({options})").fetchone()
    return int(result[0]) if result else 0


def _file_info(path: Path, fmt: str) -> DownloadFile:
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    return DownloadFile(
        format=fmt,
        name=path.name,
        bytes=path.stat().st_size,
        sha256=digest.hexdigest(),
        mediatype=MEDIATYPES[fmt],
    )


def gzip_copy(
    path: Path, write: Callable[[bytes], object], level: int = GZIP_LEVEL
) -> tuple[str, int]:
    """Stream the gzip of the file ``path`` into ``write``: RFC 1952 with no file name, mtime 0
    and OS 'unknown' (the bytes of ``gzip.GzipFile(filename="", mtime=0)``), so the same file
    always gives the same bytes. Returns the plain file's sha256 (hex) and size."""
    xfl = 2 if level == 9 else 4 if level == 1 else 0
    write(b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + bytes([xfl, 255]))
    digest = hashlib.sha256()
    comp = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = 0
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(GZIP_CHUNK):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            write(comp.compress(chunk))
    write(comp.flush())
    write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return digest.hexdigest(), size


def _compressed(path: Path, fmt: str) -> DownloadFile:
    """Replace the file ``path`` by ``path.gz`` (:func:`gzip_copy`); its DownloadFile."""
    gz_path = path.with_name(path.name + ".gz")
    digest = hashlib.sha256()
    with open(gz_path, "wb") as out:

        def write(data: bytes) -> None:
            digest.update(data)
            out.write(data)

        plain_sha, plain_size = gzip_copy(path, write)
    path.unlink()
    return DownloadFile(
        format=fmt,
        name=gz_path.name,
        bytes=gz_path.stat().st_size,
        sha256=digest.hexdigest(),
        mediatype=MEDIATYPES["gz"],
        compression="gz",
        plain_bytes=plain_size,
        plain_sha256=plain_sha,
    )


def _write_dataset(
    con: duckdb.DuckDBPyConnection,
    spec: DatasetSpec,
    out_dir: Path,
    pool: ThreadPoolExecutor,
    compress_over: int,
) -> tuple[DatasetInfo, list[Future[DownloadFile]]]:
    """Write the table's three files; hashing them (or gzipping the CSV and JSON of a big
    table) is left to ``pool``, so that it runs while DuckDB writes the next table. Returns the
    DatasetInfo without its files, and their futures."""
    columns = _published_columns(con, spec.table, spec.key_columns)
    if spec.primary_key:
        _check_primary_key(con, spec.table, spec.primary_key)
    order = _order_by(list(spec.primary_key) or [c.name for c in columns])
    source = _q(spec.table)

    def publish(fmt: str, gzip_it: bool = False) -> Future[DownloadFile]:
        path = out_dir / f"{spec.name}.{fmt}"
        return pool.submit(_compressed if gzip_it else _file_info, path, fmt)

    csv_path = out_dir / f"{spec.name}.csv"
    rows = _copy(con, _csv_select(columns, source, order=order), csv_path, _CSV_OPTIONS)
    big = csv_path.stat().st_size > compress_over
    pending = [publish("csv", big)]

    json_cols = ", ".join(f"{_json_sql(c, 't.' + _q(c.name))} AS {_q(c.name)}" for c in columns)
    _copy(
        con,
        f"SELECT {json_cols} FROM {source} AS t ORDER BY {order}",
        out_dir / f"{spec.name}.json",
        "FORMAT json, ARRAY true",
    )
    pending.append(publish("json", big))

    pq_cols = ", ".join(f"{_value_sql(c, 't.' + _q(c.name))} AS {_q(c.name)}" for c in columns)
    _copy(
        con,
        f"SELECT {pq_cols} FROM {source} AS t ORDER BY {order}",
        out_dir / f"{spec.name}.parquet",
        "FORMAT parquet, COMPRESSION zstd",
    )
    pending.append(publish("parquet"))

    return DatasetInfo(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        row_text=spec.row_text,
        rows=rows,
        columns=tuple(
            ColumnInfo(
                name=c.name,
                type=c.schema_type,
                description=column_description(spec.name, c.name, spec.table),
                sql_type=c.sql_type,
            )
            for c in columns
        ),
        files=(),
        primary_key=spec.primary_key,
    ), pending


def write_downloads(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    meta: DownloadMeta,
    compress_over: int | None = None,
) -> list[DatasetInfo]:
    """Write every download, the data package descriptor and the zip into ``out_dir``
    (the site's ``du-lieu/`` folder). Returns what the /du-lieu/ page lists, in site.md order.
    A table whose CSV is over ``compress_over`` bytes (default :data:`COMPRESS_OVER`) gets its
    CSV and JSON gzipped."""
    if compress_over is None:
        compress_over = COMPRESS_OVER
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        with _ordered_writes(con):
            written = [_write_dataset(con, spec, out_dir, pool, compress_over) for spec in DATASETS]
        infos = [
            dataclasses.replace(info, files=tuple(f.result() for f in pending))
            for info, pending in written
        ]
    descriptor = datapackage(infos, meta)
    (out_dir / DATAPACKAGE_NAME).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _write_zip(out_dir, infos, meta)
    return infos


def package_files(out_dir: Path) -> list[DownloadFile]:
    """The descriptor and the zip as written by :func:`write_downloads` (for the page)."""
    out_dir = Path(out_dir)
    return [_file_info(out_dir / DATAPACKAGE_NAME, "json"), _file_info(out_dir / ZIP_NAME, "zip")]


# --------------------------------------------------------------------------------------------
# The data package descriptor


def _slugify(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _created(build_time: dt.datetime) -> str:
    if build_time.tzinfo is None:
        build_time = build_time.replace(tzinfo=LOCAL_TZ)
    return build_time.replace(microsecond=0).isoformat()


def _site_link(site_url: str, path: str) -> str | None:
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + path


def datapackage(infos: list[DatasetInfo], meta: DownloadMeta) -> dict:
    """The Frictionless Data Package v2 descriptor of the CSV downloads."""
    as_of = meta.as_of.isoformat()
    province = meta.province_name
    if meta.synthetic:
        title = f"Minh bạch TTHC – {province} (dữ liệu giả lập)"
        source = {
            "title": "Dữ liệu giả lập do minhbach sinh ra (không mô tả tỉnh, thành phố thật nào)"
        }
        caveat = (
            " DỮ LIỆU GIẢ LẬP: các con số không mô tả bất kỳ tỉnh, thành phố hay cơ quan thật nào."
        )
    else:
        title = f"Minh bạch TTHC – {province}"
        source = {
            "title": (
                f"Dữ liệu hồ sơ thủ tục hành chính của {province} (Hệ thống thông tin giải quyết "
                "TTHC), xuất để tính toán"
            )
        }
        caveat = ""
    description = (
        f"Số liệu giải quyết hồ sơ thủ tục hành chính (mẫu 06a) và Bộ chỉ số phục vụ người dân, "
        f"doanh nghiệp (Quyết định 766/QĐ-TTg) của các đơn vị thuộc {province}, tính từ dữ liệu "
        f"hồ sơ đến ngày {meta.as_of.strftime('%d/%m/%Y')} theo bộ quy tắc {meta.rule_set}. "
        "Mỗi bảng có bản CSV (UTF-8 có BOM; ô văn bản bắt đầu bằng =, +, -, @, tab hoặc CR được "
        "thêm dấu ' ở đầu để bảng tính không coi là công thức), JSON và Parquet cùng tên." + caveat
    )
    descriptor: dict = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "minhbach-" + (_slugify(province) or "du-lieu"),
        "title": title,
        "description": description,
        "version": meta.build_time.date().isoformat(),
        "created": _created(meta.build_time),
        "keywords": ["thủ tục hành chính", "766", "06a", province],
        "licenses": [
            {"name": meta.license.name, "title": meta.license.title, "path": meta.license.path}
        ],
        "sources": [source],
        "contributors": [{"title": "minhbach", "roles": ["creator"]}],
    }
    homepage = _site_link(meta.site_url, "du-lieu/")
    if homepage:
        descriptor["homepage"] = homepage
        descriptor["sources"][0]["path"] = homepage
    # Properties of this project (Data Package v2 allows them): the facts a citation needs.
    descriptor["minhbach"] = {
        "as_of": as_of,
        "rule_set": meta.rule_set,
        "synthetic": meta.synthetic,
        "province_name": province,
        "update_frequency": UPDATE_FREQUENCY,
    }
    descriptor["resources"] = [_resource(info) for info in infos]
    return descriptor


def _resource(info: DatasetInfo) -> dict:
    csv = info.file("csv")
    schema: dict = {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": [
            {"name": c.name, "type": c.type, "description": c.description} for c in info.columns
        ],
        "missingValues": [""],
    }
    if info.primary_key:
        schema["primaryKey"] = list(info.primary_key)
    resource = {
        "name": info.name,
        "title": info.title,
        "description": f"{info.description} Mỗi dòng: {info.row_text}.",
        "type": "table",
        "path": csv.name,
        "scheme": "file",
        "format": "csv",
        "mediatype": MEDIATYPES["csv"],
        "encoding": "utf-8-sig",
    }
    if csv.compression:
        # frictionless reads <name>.csv.gz itself; bytes and hash are of the file as published.
        resource["compression"] = csv.compression
    return resource | {
        "bytes": csv.bytes,
        "hash": f"sha256:{csv.sha256}",
        "dialect": {
            "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
            "header": True,
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
        },
        "schema": schema,
    }


# --------------------------------------------------------------------------------------------
# The zip of everything


def _zip_time(build_time: dt.datetime) -> tuple[int, int, int, int, int, int]:
    t = max(build_time.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _write_zip(out_dir: Path, infos: list[DatasetInfo], meta: DownloadMeta) -> None:
    """The data package: the descriptor and every table's CSV as published (the files it
    names), at the zip's root so that its paths work once unzipped; sorted names, the build
    time on every entry, fixed permissions."""
    names = sorted([info.file("csv").name for info in infos] + [DATAPACKAGE_NAME])
    date_time = _zip_time(meta.build_time)
    tmp = out_dir / (ZIP_NAME + ".tmp")
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
        for name in names:
            path = out_dir / name
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.create_system = 3  # unix, whatever builds it
            entry.external_attr = 0o100644 << 16
            # Parquet and gzip are already compressed: stored as is, they cost no time.
            if name.endswith((".parquet", ".gz")):
                entry.compress_type = zipfile.ZIP_STORED
            else:
                entry.compress_type = zipfile.ZIP_DEFLATED
                if hasattr(entry, "compress_level"):  # Python 3.13+
                    entry.compress_level = ZIP_LEVEL
                else:
                    entry._compresslevel = ZIP_LEVEL
            entry.file_size = path.stat().st_size
            with open(path, "rb") as src, zf.open(entry, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, out_dir / ZIP_NAME)


# --------------------------------------------------------------------------------------------
# One CSV per unit


def _unit_columns(con: duckdb.DuckDBPyConnection) -> tuple[list[_Column], list[_Column]]:
    metrics_spec, scores_spec = DATASETS[0], DATASETS[2]
    metrics = _published_columns(con, metrics_spec.table, metrics_spec.key_columns)
    names = {c.name for c in metrics}
    scores = [
        c
        for c in _published_columns(con, scores_spec.table, scores_spec.key_columns)
        if c.name not in names
    ]
    return metrics, scores


def _csv_field_sql(col: _Column, ref: str) -> str:
    """One CSV field, from its CSV value (:func:`_csv_sql`, a plain column reference here), as
    DuckDB's CSV writer spells it: NULL empty; text quoted when it holds a comma, a quote, CR or
    LF, or is empty (so that it differs from NULL)."""
    if col.kind != "text":  # numbers, booleans, dates and times never need quotes
        return f"coalesce(CAST({ref} AS VARCHAR), '')"
    needs_quotes = " OR ".join(
        [f"{ref} = ''"] + [f"contains({ref}, {c})" for c in ("','", "'\"'", "chr(10)", "chr(13)")]
    )
    quoted = f"'\"' || replace({ref}, '\"', '\"\"') || '\"'"
    return f"CASE WHEN {ref} IS NULL THEN '' WHEN {needs_quotes} THEN {quoted} ELSE {ref} END"


def _csv_header(names: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(names)
    return BOM + out.getvalue()


def write_unit_csvs(con: duckdb.DuckDBPyConnection, docs_dir: Path) -> None:
    """Write ``co-quan/<slug>/<slug>.csv`` for every unit of ``dim_agencies``: its rows of
    agency_period_metrics (one per period) with the period's scores_766 columns beside them,
    under the same CSV rules as the downloads. A unit with no rows gets the header only.

    One ordered query formats every line in SQL (thousands of ``COPY`` statements would cost
    about 0.1 s each); Python only writes the lines out, unit after unit."""
    docs_dir = Path(docs_dir)
    metrics, scores = _unit_columns(con)
    _published_columns(con, "dim_agencies", ("agency_id", "slug"))
    units = con.execute("SELECT agency_id, slug FROM dim_agencies ORDER BY agency_id").fetchall()
    slugs: dict[str, str] = {}
    for agency_id, slug in units:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise InvariantError(f"tải về: đơn vị {agency_id} có slug không hợp lệ: {slug!r}")
        if slug in slugs:
            raise InvariantError(
                f"tải về: hai đơn vị {slugs[slug]} và {agency_id} cùng slug {slug}"
            )
        slugs[slug] = agency_id

    columns = metrics + scores
    # Inner query: each column's CSV value, computed once; outer query: the quoted line.
    values = [f"{_csv_sql(c, 'm.' + _q(c.name))} AS c{i}" for i, c in enumerate(metrics)] + [
        f"{_csv_sql(c, 's.' + _q(c.name))} AS c{len(metrics) + i}" for i, c in enumerate(scores)
    ]
    keys = [f"m.{_q(c)} AS k{i}" for i, c in enumerate(DATASETS[0].primary_key)]
    line = " || ',' || ".join(_csv_field_sql(c, f"c{i}") for i, c in enumerate(columns))
    order = ", ".join(f"k{i} ASC NULLS LAST" for i in range(len(keys)))
    cursor = con.execute(
        f"SELECT slug, {line} AS line FROM ("
        f"SELECT a.slug, {', '.join(keys)}, {', '.join(values)} "
        "FROM agency_period_metrics AS m "
        "JOIN dim_agencies AS a ON a.agency_id = m.agency_id "
        "LEFT JOIN scores_766 AS s ON s.agency_id = m.agency_id AND s.period = m.period "
        f"AND s.period_type = m.period_type) ORDER BY slug, {order}"
    )
    header = _csv_header([c.name for c in columns]).encode("utf-8")

    def open_unit(slug: str):
        folder = docs_dir / "co-quan" / slug
        folder.mkdir(parents=True, exist_ok=True)
        f = open(folder / f"{slug}.csv", "wb")  # noqa: SIM115 - closed below
        f.write(header)
        return f

    current: str | None = None
    f = None
    try:
        while batch := cursor.fetchmany(10_000):
            for slug, text in batch:
                if slug != current:
                    if f:
                        f.close()
                    current, f = slug, open_unit(slug)
                    del slugs[slug]
                f.write(text.encode("utf-8") + b"\r\n")
    finally:
        if f:
            f.close()
    for slug in slugs:  # units without rows
        open_unit(slug).close()
