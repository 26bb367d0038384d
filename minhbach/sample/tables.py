"""The files the generator writes: table names, their columns in order, the synthetic marker.

Column names are those of the real exports: DVCQG names (``MaHoSo``, ``NgayTiepNhan``...) where
the national portal has them, the data contract's names otherwise
(../shared/spec/data-contract.md). Every value is written as text.
"""

from __future__ import annotations

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
    "offers_e_certified_copy",
    "portal_code",
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
