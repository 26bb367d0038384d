"""Headers against the contract (minhbach.ingest.header): canonical names and aliases in any
case, required columns, personal and unknown columns dropped and named."""

from __future__ import annotations

from minhbach import contract

from .files import (
    DOSSIER_HEADER,
    SECRET_NAME,
    SECRET_PHONE,
    all_text,
    dossier_row,
    input_error,
    make_dir,
    read,
    rows,
)


def test_reads_csv_under_canonical_names_in_contract_order(tmp_path):
    con, report = read(make_dir(tmp_path))
    got = rows(con, "SELECT * FROM raw_dossiers ORDER BY _line")
    assert [r["dossier_id"] for r in got] == ["H1", "H2", "H3"]
    assert got[0]["agency_id"] == "A"
    assert got[0]["received_at"] == "20260301080000"
    assert got[0]["channel"] is None  # optional, absent from the file
    assert [r["_line"] for r in got] == [2, 3, 4]
    assert {r["_source"] for r in got} == {"dossiers.csv"}
    described = con.execute("DESCRIBE raw_dossiers").fetchall()
    assert [d[0] for d in described] == [
        *contract.TABLES["dossiers"].column_names,
        "_source",
        "_line",
    ]
    assert [d[1] for d in described][:-1] == ["VARCHAR"] * (len(described) - 1)
    assert described[-1][1] == "BIGINT"
    assert report["dossiers"].present and report["dossiers"].rows_read == 3
    assert report["dossiers"].files == ["dossiers.csv"]
    assert "channel" in report["dossiers"].missing_columns


def test_mixed_case_headers_with_spaces_and_canonical_names(tmp_path):
    data = make_dir(
        tmp_path,
        **{
            "agencies.csv": " agency_id ,NAME,  capdonvi\nP,Tỉnh,province\n",
            "dossiers.csv": (
                " mahoso ,MADONVI,MaTthc,trangthaihoso,NgayTiepNhan ,ngayhentra,NGAYKETTHUCXULY\n"
                "H1,P,1.000001,2,x,y,\n"
            ),
        },
    )
    con, _ = read(data)
    assert rows(con, "SELECT agency_id, name, level FROM raw_agencies") == [
        {"agency_id": "P", "name": "Tỉnh", "level": "province"}
    ]
    got = rows(con, "SELECT dossier_id, agency_id, status, received_at FROM raw_dossiers")
    assert got == [{"dossier_id": "H1", "agency_id": "P", "status": "2", "received_at": "x"}]


def test_two_aliases_of_one_column_the_contract_order_wins(tmp_path):
    # MaDonViXuLy comes first in the file, but MaDonVi is listed first in the contract.
    data = make_dir(
        tmp_path,
        **{
            "dossiers.csv": (
                "MaHoSo,MaDonViXuLy,MaDonVi,MaTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,"
                "NgayKetThucXuLy\nH1,X,A,1.000001,9,a,b,c\n"
            )
        },
    )
    con, report = read(data)
    assert con.execute("SELECT agency_id FROM raw_dossiers").fetchall() == [("A",)]
    assert report["dossiers"].duplicate_columns == ["MaDonViXuLy"]
    assert report["dossiers"].dropped_columns == []


def test_missing_required_column_names_it_and_its_alias(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": "MaDonVi,TenDonVi\nA,Sở\n"})
    error = input_error(data)
    assert error.file == "agencies.csv"
    assert "level (CapDonVi)" in error.problem


def test_header_that_is_one_column_hints_at_the_delimiter(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": "MaDonVi|TenDonVi|CapDonVi\nA|Sở|province\n"})
    assert "dấu phân cách" in input_error(data).problem


def test_thousands_of_columns(tmp_path):
    extra = [f"Cot{i}" for i in range(3000)]
    header = DOSSIER_HEADER + "," + ",".join(extra)
    body = "".join(dossier_row(i) + "," + ",".join("v" for _ in extra) + "\n" for i in range(50))
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": header + "\n" + body}))
    assert con.execute("SELECT count(*) FROM raw_dossiers").fetchone() == (50,)
    assert len(report["dossiers"].dropped_columns) == 3002


def test_personal_columns_are_dropped_and_named(tmp_path):
    header = DOSSIER_HEADER + ",SoGiayToChuHoSo,DinhDanhCHS,Email,Fax,DiaChi,TrichYeuHoSo,Khac"
    secrets = ["012345678901", "DD-999", "bi.mat@example.vn", "0243", "Số 1 Phố Bí Mật"]
    row = dossier_row(1) + "," + ",".join(secrets) + ",Đề nghị của Nguyễn Văn Bí Mật,zz"
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": header + "\n" + row + "\n"}))
    everything = all_text(con)
    for secret in [SECRET_NAME, SECRET_PHONE, *secrets, "Bí Mật"]:
        assert secret not in everything
    dossiers = report["dossiers"]
    assert dossiers.dropped_columns == [
        "ChuHoSo",
        "SoDienThoai",
        "SoGiayToChuHoSo",
        "DinhDanhCHS",
        "Email",
        "Fax",
        "DiaChi",
        "TrichYeuHoSo",
        "Khac",
    ]
    assert "Khac" not in dossiers.personal_columns and "ChuHoSo" in dossiers.personal_columns
    assert report.dropped_columns["dossiers"] == dossiers.dropped_columns
