"""The data contract (../shared/spec/data-contract.md) in machine-readable form.

Ingest uses it to map aliases to canonical names, to keep only contract columns (so personal
data never enters the database) and to check that required columns are present. The typing and
row rules themselves are SQL, under ``queries/staging/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, enum, int, number, bool, timestamp, date
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be present in the file


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, kind: str, *aliases: str, required: bool = False) -> Column:
    return Column(name, kind, tuple(aliases), required)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "agencies",
            True,
            (
                _c("agency_id", "text", "MaDonVi", "MaDinhDanhDV", required=True),
                _c("name", "text", "TenDonVi", required=True),
                _c("level", "enum", "CapDonVi", required=True),
                _c("parent_id", "text", "MaDonViCha"),
                _c("valid_from", "date"),
                _c("valid_to", "date"),
                _c("successor_id", "text", "MaDonViKeNhiem"),
                _c("offers_e_certified_copy", "bool"),
                _c("portal_code", "text"),
            ),
            key=("agency_id",),
        ),
        Table(
            "procedures",
            True,
            (
                _c("procedure_id", "text", "MaTTHC", required=True),
                _c("name", "text", "TenTTHC", required=True),
                _c("field", "text", "TenLinhVuc", "LinhVuc"),
                _c("online_level", "enum", "MucDo", "MucDoDVC"),
                _c("statutory_days", "number", "SoNgayGiaiQuyet"),
                _c("has_fee", "bool", "CoPhiLePhi"),
                _c("online_payment_enabled", "bool"),
                _c("issues_result_document", "bool", "CoKetQuaGiayTo"),
                _c("for_citizens", "bool"),
                _c("citizen_data_connected", "bool"),
            ),
            key=("procedure_id",),
        ),
        Table(
            "dossiers",
            True,
            (
                _c("dossier_id", "text", "MaHoSo", required=True),
                _c("agency_id", "text", "MaDonVi", "MaDonViXuLy", required=True),
                _c("procedure_id", "text", "MaTTHC", required=True),
                _c("channel", "enum", "KenhThucHien"),
                _c("status", "int", "TrangThaiHoSo", required=True),
                _c("submitted_at", "timestamp", "NgayNopHoSo"),
                _c("received_at", "timestamp", "NgayTiepNhan", required=True),
                _c("due_at", "timestamp", "NgayHenTra", required=True),
                _c("finished_at", "timestamp", "NgayKetThucXuLy", required=True),
                _c("returned_at", "timestamp", "NgayTra"),
                _c("return_method", "int", "HinhThuc"),
                _c("paid_online", "int", "DuocThanhToanTrucTuyen"),
                _c("synced_national", "bool", "DaDongBo"),
                _c("digitized", "bool", "HoSoCoThanhPhanSoHoa"),
                _c("reused_data", "bool", "DuocTaiSuDung"),
                _c("from_personal_store", "bool", "DuocLayTuKhoDMQG"),
                _c("e_result", "bool", "CoKetQuaDienTu"),
                _c("vneid_verified", "bool", "TaiKhoanDuocXacThucVoiVNeID"),
                _c("applicant_type", "int", "LoaiDoiTuong"),
            ),
            key=("dossier_id",),
        ),
        Table(
            "supplements",
            False,
            (
                _c("dossier_id", "text", "MaHoSo", required=True),
                _c("requested_at", "timestamp", "NgayYeuCauBoSung", required=True),
                _c("supplied_at", "timestamp", "NgayTiepNhanBoSung"),
                _c("new_due_at", "timestamp", "NgayHenTraMoi"),
            ),
        ),
        Table(
            "ratings",
            False,
            (
                _c("rating_id", "text"),
                _c("dossier_id", "text", "MaHoSo"),
                _c("agency_id", "text", "MaDonVi"),
                _c("rated_at", "timestamp", "ThoiGianDanhGia", required=True),
                _c("rating", "int", "DanhGia", "MucDoHaiLong", required=True),
            ),
            key=("rating_id",),
        ),
        Table(
            "feedback",
            False,
            (
                _c("feedback_id", "text", "MaPAKN", required=True),
                _c("agency_id", "text", "MaDonVi", required=True),
                _c("dossier_id", "text", "MaHoSo"),
                _c("received_at", "timestamp", "NgayTiepNhan", required=True),
                _c("due_at", "timestamp", "HanXuLy", required=True),
                _c("resolved_at", "timestamp", "NgayXuLy"),
                _c("citizen_satisfied", "bool", "HaiLong"),
                _c("topic", "enum", "PhanLoai"),
            ),
            key=("feedback_id",),
        ),
        Table(
            "procedure_publications",
            False,
            (
                _c("agency_id", "text", required=True),
                _c("procedure_id", "text", required=True),
                _c("publish_due", "date"),
                _c("published_at", "date"),
                _c("public_due", "date"),
                _c("made_public_at", "date"),
                _c("content_complete", "bool"),
            ),
        ),
        Table(
            "official_scores",
            False,
            (
                _c("agency_id", "text", required=True),
                _c("period", "text", required=True),
                _c("group", "enum", required=True),
                _c("score", "number", required=True),
            ),
            key=("agency_id", "period", "group"),
        ),
    )
}

# Columns known to carry personal data. Every column outside the contract is dropped anyway;
# this list only lets the data-quality report say that such columns were seen and dropped.
PERSONAL_COLUMNS = (
    "ChuHoSo",
    "SoGiayToChuHoSo",
    "DinhDanhCHS",
    "SoDienThoai",
    "Email",
    "Fax",
    "DiaChi",
    "TrichYeuHoSo",
    "NguoiDanhGia",
    "NoiDungDanhGia",
    "NoiDung",
)

LEVELS = ("province", "department", "district", "commune", "other")


def normalise_header(name: str) -> str:
    """Header matching is case-insensitive after trimming (and BOM/zero-width removal)."""
    return name.replace("\ufeff", "").replace("\u200b", "").strip().casefold()


def alias_map(table: Table) -> dict[str, str]:
    """Normalised header -> canonical column name."""
    out: dict[str, str] = {}
    for col in table.columns:
        for name in (col.name, *col.aliases):
            out[normalise_header(name)] = col.name
    return out
