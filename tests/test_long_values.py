"""Nothing is lost to an over-long value (issue 10, item 7).

A unit's or procedure's name (or a procedure's field) over 200 characters keeps its row and
every dossier of it; pages and downloads show it cut to 200 characters with "…", and the
data-quality page lists the cut. A CSV line that cannot be parsed is quarantined under the
row's id when the id can be read from it safely, else under ``dòng <n>``; no other value of
the line is kept. Every expected value below is worked out by hand from the tables given.
"""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from buildkit import AGENCIES, DOSSIER_HEADER, PROCEDURES, dossier_rows, run_build, write_export
from conftest import build_db, rows, set_settings

from minhbach import ingest
from minhbach.sql import runner

# 20,000 words of 10 characters ("Trung tâm "), the last without its space: 200,000 characters.
LONG_UNIT = "Trung tâm " * 19_999 + "Hành chính"
# Its first 200 characters end with a space: the cut keeps the 199 before it, then "…".
LONG_UNIT_SHOWN = "Trung tâm " * 19 + "Trung tâm…"
LONG_UNIT_SLUG = "-".join(["trung-tam"] * 20)


def test_expected_values_are_what_the_comments_say():
    assert len(LONG_UNIT) == 200_000
    assert len(LONG_UNIT_SHOWN) == 200


# --------------------------------------------------------------------------------------------
# The cut (SQL macro shown_name)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("x" * 200, "x" * 200),  # 200 characters: kept as it is
        ("Đ" * 201, "Đ" * 199 + "…"),  # no space: cut after 199 characters
        (LONG_UNIT, LONG_UNIT_SHOWN),
        # the last space in the first 200 characters is at 4, before half of them: hard cut
        ("Ab " + "x" * 300, "Ab " + "x" * 196 + "…"),
        # cut after "y" * 150 + ",": the comma goes, then "…"
        ("y" * 150 + ", " + "z" * 100, "y" * 150 + "…"),
        (None, None),
    ],
)
def test_shown_name_cuts_at_a_word_boundary_with_an_ellipsis(name, shown):
    con = duckdb.connect()
    runner.run_macros(con)
    assert con.execute("select shown_name(?)", [name]).fetchone() == (shown,)


# --------------------------------------------------------------------------------------------
# The SQL layers on hand-made tables

LONG_PROCEDURE = "Thủ tục " * 50  # 400 characters; clean_name trims the last space: 399
# the first 200 characters are 25 times "Thủ tục ": the 200th is a space
LONG_PROCEDURE_SHOWN = "Thủ tục " * 24 + "Thủ tục…"
LONG_FIELD = "Lĩnh vực " * 30  # 270 characters; 269 once trimmed
# 200 = 22 * 9 + 2: the first 200 characters end "Lĩ"; the last space before is the 198th
LONG_FIELD_SHOWN = "Lĩnh vực " * 21 + "Lĩnh vực…"


def _dossier(i: int, agency: str, procedure: str = "1.000001") -> dict:
    return {
        "dossier_id": f"D{i}",
        "agency_id": agency,
        "procedure_id": procedure,
        "channel": "1",
        "status": "10",
        "received_at": "2026-03-02 08:00",
        "due_at": "2026-03-10 17:00",
        "finished_at": "2026-03-05 10:00",
        "returned_at": "2026-03-05 15:00",
    }


@pytest.fixture(scope="module")
def long_db():
    agencies = [
        {"agency_id": "P", "name": "Tỉnh Thử", "level": "province"},
        {"agency_id": "A", "name": "Sở Tư pháp", "level": "department", "parent_id": "P"},
        # two long names alike in their first 200 characters, under the same parent
        {"agency_id": "L1", "name": LONG_UNIT, "level": "department", "parent_id": "P"},
        {"agency_id": "L2", "name": LONG_UNIT + " hai", "level": "department", "parent_id": "P"},
    ]
    procedures = [
        {"procedure_id": "1.000001", "name": "Thủ tục một", "online_level": "full"},
        {
            "procedure_id": "1.000009",
            "name": LONG_PROCEDURE,
            "field": LONG_FIELD,
            "online_level": "full",
        },
    ]
    dossiers = (
        [_dossier(i, "A") for i in range(1, 3)]  # D1, D2
        + [_dossier(i, "L1", "1.000009") for i in range(3, 6)]  # D3-D5
        + [_dossier(i, "L2") for i in range(6, 10)]  # D6-D9
    )
    return build_db({"agencies": agencies, "procedures": procedures, "dossiers": dossiers})


def test_long_names_keep_their_rows(long_db):
    assert rows(long_db, "select * from quarantine") == []
    got = {r["agency_id"]: r for r in rows(long_db, "select * from dim_agencies")}
    assert set(got) == {"P", "A", "L1", "L2"}
    assert got["L1"]["name"] == LONG_UNIT_SHOWN
    assert got["L2"]["name"] == LONG_UNIT_SHOWN  # the same first 199 characters


def test_long_names_keep_every_dossier_in_the_figures(long_db):
    received = {
        r["agency_id"]: r["received_new"]
        for r in rows(
            long_db,
            "select agency_id, received_new from agency_period_metrics where period = '2026-03'",
        )
    }
    # P is the province: D1-D9
    assert received == {"P": 9, "A": 2, "L1": 3, "L2": 4}
    assert rows(long_db, "select rows_used from input_quality where table_name = 'dossiers'") == [
        {"rows_used": 9}
    ]


def test_addresses_come_from_the_cut_name_and_stay_unique(long_db):
    slugs = {
        r["agency_id"]: r["slug"] for r in rows(long_db, "select agency_id, slug from dim_agencies")
    }
    # same name, same parent: the id tells them apart (dim_agencies' rule for every name);
    # name + parent + id is 199 + 9 + 3 characters, over 200: its first 197, "-", the id
    assert slugs["L1"] == "trung-tam-" * 19 + "trung-t" + "-l1"
    assert slugs["L2"] == "trung-tam-" * 19 + "trung-t" + "-l2"
    assert slugs["A"] == "so-tu-phap"


def test_addresses_stay_within_200_characters():
    agencies = [
        {"agency_id": "P", "name": "Tỉnh Thử", "level": "province"},
        # cut: "Ban " + "Trung tâm " * 19 + "Trung…" (its 200th character is a space)
        {"agency_id": "Q", "name": "Ban " + LONG_UNIT, "level": "department", "parent_id": "P"},
        {"agency_id": "M1", "name": LONG_UNIT, "level": "department", "parent_id": "Q"},
        {"agency_id": "M2", "name": LONG_UNIT, "level": "department", "parent_id": "Q"},
    ]
    dossiers = [_dossier(i, a) for i, a in enumerate(("Q", "M1", "M2"), start=1)]
    con = build_db({"agencies": agencies, "dossiers": dossiers})
    slugs = dict(con.execute("select agency_id, slug from dim_agencies").fetchall())
    q_slug = "ban-" + "trung-tam-" * 19 + "trung"  # 4 + 190 + 5 = 199 characters
    assert slugs["Q"] == q_slug
    # M1 and M2 share their name and parent: name + parent + id would be 199 + 1 + 199 + 1 + 2
    # characters; cut to the first 197, then "-" and the id: 200
    assert slugs["M1"] == "trung-tam-" * 19 + "trung-t" + "-m1"
    assert slugs["M2"] == "trung-tam-" * 19 + "trung-t" + "-m2"
    assert len(slugs["M1"]) == 200


def test_long_procedure_names_and_fields_are_cut(long_db):
    (proc,) = rows(long_db, "select * from stg_procedures where procedure_id = '1.000009'")
    assert proc["reject_reason"] is None
    assert proc["name"] == LONG_PROCEDURE_SHOWN
    assert proc["field"] == LONG_FIELD_SHOWN
    names = rows(
        long_db,
        "select distinct procedure_name from procedure_metrics where procedure_id = '1.000009'",
    )
    assert names == [{"procedure_name": LONG_PROCEDURE_SHOWN}]
    got = rows(
        long_db,
        "select procedure_id, resolved from procedure_metrics "
        "where agency_id = 'L1' and period = '2026-03'",
    )
    assert got == [{"procedure_id": "1.000009", "resolved": 3}]


def test_cuts_are_listed_with_their_length_never_their_text(long_db):
    got = rows(
        long_db, 'select "table", key, "column", original_length, note from shortened_values'
    )
    assert got == [
        {
            "table": "agencies",
            "key": "L1",
            "column": "name",
            "original_length": 200_000,
            "note": "tên quá dài, đã rút gọn",
        },
        {
            "table": "agencies",
            "key": "L2",
            "column": "name",
            "original_length": 200_004,
            "note": "tên quá dài, đã rút gọn",
        },
        {
            "table": "procedures",
            "key": "1.000009",
            "column": "field",
            "original_length": 269,
            "note": "lĩnh vực quá dài, đã rút gọn",
        },
        {
            "table": "procedures",
            "key": "1.000009",
            "column": "name",
            "original_length": 399,
            "note": "tên quá dài, đã rút gọn",
        },
    ]


def test_ids_over_64_characters_stay_quarantined():
    con = build_db(
        {
            "agencies": [
                {"agency_id": "P", "name": "Tỉnh Thử", "level": "province"},
                {"agency_id": "A" * 65, "name": "Sở Dài", "level": "department"},
            ]
        },
        layers=("staging",),
    )
    got = rows(con, 'select "table", key, reason from quarantine where "table" = \'agencies\'')
    assert got == [
        {"table": "agencies", "key": "A" * 64, "reason": "mã đơn vị dài hơn 64 ký tự (agency_id)"}
    ]


# --------------------------------------------------------------------------------------------
# Broken CSV lines: the key the reader can read safely

ING_AGENCIES = "MaDonVi,TenDonVi,CapDonVi\nP,Tỉnh Thử,province\nA,Sở Tư pháp,department\n"
ING_PROCEDURES = "MaTTHC,TenTTHC,MucDo\n1.000001,Thủ tục một,4\n"
# A row number first (as many exports have), the id second, personal data after.
ING_HEADER = (
    "STT,MaHoSo,MaDonVi,MaTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,"
    "ChuHoSo,SoDienThoai"
)
SECRET = "Nguyễn Thị Bíẩn"
PHONE = "0987654321"


def _row(n: int, key: str) -> str:
    return f"{n},{key},A,1.000001,4,20260301080000,20260310170000,,{SECRET},{PHONE}"


def _read_rejects(tmp_path, lines: list[str], *, end: str = "\n"):
    data = tmp_path / "data"
    data.mkdir()
    (data / "agencies.csv").write_text(ING_AGENCIES, encoding="utf-8")
    (data / "procedures.csv").write_text(ING_PROCEDURES, encoding="utf-8")
    (data / "dossiers.csv").write_text("\n".join([ING_HEADER, *lines]) + end, encoding="utf-8")
    con = duckdb.connect()
    ingest.read_inputs(con, data)
    got = con.execute("select _line, key from raw_rejects order by _line").fetchall()
    everything = " ".join(
        str(v) for r in con.execute("select * from raw_rejects").fetchall() for v in r
    )
    assert SECRET not in everything and PHONE not in everything
    return got


def test_a_truncated_last_line_is_named_by_its_id(tmp_path):
    lines = [_row(1, "HS-2026-0001"), _row(2, "HS-2026-0002"), "3,HS-2026-0003,A,1.000001,4,2026"]
    assert _read_rejects(tmp_path, lines, end="") == [(4, "HS-2026-0003")]


def test_too_few_too_many_fields_and_stray_quotes_are_named_by_their_id(tmp_path):
    lines = [
        _row(1, "HS-2026-0001"),
        "2,HS-2026-0002,A,1.000001",  # too few fields
        _row(3, "HS-2026-0003") + ",thừa",  # too many
        '4,"HS-2026-0004",A,1.000001,4,"2026"x,b,c,d',  # a stray quote after the id (quoted)
        _row(5, "HS-2026-0005"),
    ]
    assert _read_rejects(tmp_path, lines) == [
        (3, "HS-2026-0002"),
        (4, "HS-2026-0003"),
        (5, "HS-2026-0004"),
    ]


def test_a_line_without_a_readable_id_is_named_by_its_line(tmp_path):
    lines = [
        _row(1, "HS-2026-0001"),
        f"{SECRET},{PHONE}",  # the rest of a name broken over two lines: no id here
        "3,HS-2026-0003",  # nothing after the id: it may have been cut short
        f"4,{PHONE},A",  # digits only: could be a phone number
        f'5,"{SECRET}, {PHONE}",A',  # not the shape of the file's ids
        '"6,HS-2026-0006,A',  # an unclosed quote on the last line
    ]
    got = _read_rejects(tmp_path, lines, end="")
    assert got == [(3, None), (4, None), (5, None), (6, None), (7, None)]


def test_quarantine_says_the_line_when_there_is_no_key(tmp_path):
    lines = [
        f"{i},HS-2026-{i:04d},A,1.000001,4,20260301080000,20260310170000,,,"
        for i in range(1, 40)  # lines 2-40
    ]
    lines += [f"{SECRET},{PHONE}", "41,HS-2026-0041,A,1.000001,4"]
    data = tmp_path / "data"
    data.mkdir()
    (data / "agencies.csv").write_text(ING_AGENCIES, encoding="utf-8")
    (data / "procedures.csv").write_text(ING_PROCEDURES, encoding="utf-8")
    (data / "dossiers.csv").write_text("\n".join([ING_HEADER, *lines]), encoding="utf-8")
    con = duckdb.connect()
    ingest.read_inputs(con, data)
    set_settings(con)
    runner.run(con, layers=("staging",))
    got = rows(con, 'select "table", key, reason, line from quarantine')
    assert got == [
        {
            "table": "dossiers",
            "key": "dòng 41",
            "reason": "dòng CSV hỏng (số cột không khớp tiêu đề)",
            "line": 41,
        },
        {
            "table": "dossiers",
            "key": "HS-2026-0041",
            "reason": "dòng CSV hỏng (số cột không khớp tiêu đề)",
            "line": 42,
        },
    ]


# --------------------------------------------------------------------------------------------
# The whole build: a 200,000-character unit name in a small export, and broken lines


@pytest.fixture(scope="module")
def long_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("long")
    data = write_export(base / "data")
    long_unit = f"000.00.03.Z99,{LONG_UNIT},department,000.00.00.Z99,,,\n"
    (data / "agencies.csv").write_text(AGENCIES + long_unit, encoding="utf-8")
    long_procedure = f"1.000009,{LONG_PROCEDURE.strip()},{LONG_FIELD.strip()},4,10,0\n"
    (data / "procedures.csv").write_text(PROCEDURES + long_procedure, encoding="utf-8")
    rows_ = dossier_rows(80)  # lines 2-81; HS0000-HS0079, all received in March 2026
    rows_ += [  # lines 82-86: the long-named unit's five dossiers, received in March
        f"HL{i:04d},000.00.03.Z99,1.000009,2,10,202603{i + 2:02d}080000,"
        f"202603{i + 9:02d}170000,202603{i + 4:02d}090000,Nguyễn Văn Bímật,0900000000,079"
        for i in range(5)
    ]
    rows_ += [
        "HS9001,000.00.01.Z99,1.001193,1",  # line 87: too few fields
        "Nguyễn Văn Bímật,0912345678",  # line 88: no id
        "HS9002,000.00.02.Z99,1.00",  # line 89: the file cut short
    ]
    (data / "dossiers.csv").write_text("\n".join([DOSSIER_HEADER, *rows_]), encoding="utf-8")
    out = base / "site"
    result = run_build(data, out, "--as-of", "2026-03-31", "--quiet")
    return result, out


def _csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_build_keeps_the_long_named_unit_and_its_dossiers(long_build):
    result, out = long_build
    # before: the unit and its 5 dossiers were quarantined, 8 of 88 dossier rows (> 5%): exit 2
    assert result.returncode == 0, result.stderr
    agencies = {r["agency_id"]: r for r in _csv(out / "du-lieu" / "agencies.csv")}
    unit = agencies["000.00.03.Z99"]
    assert unit["name"] == LONG_UNIT_SHOWN
    assert unit["slug"] == LONG_UNIT_SLUG
    assert (out / "co-quan" / LONG_UNIT_SLUG / "index.html").is_file()
    metrics = {
        r["agency_id"]: r
        for r in _csv(out / "du-lieu" / "agency_period_metrics.csv")
        if r["period"] == "2026-03"
    }
    assert metrics["000.00.03.Z99"]["received_new"] == "5"
    assert metrics["000.00.03.Z99"]["resolved"] == "5"
    assert metrics["000.00.03.Z99"]["agency_name"] == LONG_UNIT_SHOWN
    # the province: 80 + 5
    assert metrics["000.00.00.Z99"]["received_new"] == "85"
    procedures = {
        r["procedure_name"]
        for r in _csv(out / "du-lieu" / "procedure_metrics.csv")
        if r["procedure_id"] == "1.000009"
    }
    assert procedures == {LONG_PROCEDURE_SHOWN}


def test_build_lists_the_cut_on_the_data_quality_page(long_build):
    result, out = long_build
    assert result.returncode == 0, result.stderr
    page = (out / "chat-luong-du-lieu" / "index.html").read_text(encoding="utf-8")
    assert "Tên quá dài đã rút gọn" in page
    assert "000.00.03.Z99" in page and "200.000" in page
    assert "tên quá dài, đã rút gọn" in page and "lĩnh vực quá dài, đã rút gọn" in page
    assert "Trung tâm Trung tâm" not in page  # never the name itself
    everywhere = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert LONG_UNIT[:201] not in everywhere


def test_build_quarantines_broken_lines_under_their_id_or_line(long_build):
    result, out = long_build
    assert result.returncode == 0, result.stderr
    got = [(r["table"], r["key"], r["line"]) for r in _csv(out / "du-lieu" / "quarantine.csv")]
    assert sorted(got, key=lambda r: int(r[2])) == [
        ("dossiers", "HS9001", "87"),
        ("dossiers", "dòng 88", "88"),
        ("dossiers", "HS9002", "89"),
    ]
    text = (out / "du-lieu" / "quarantine.csv").read_text(encoding="utf-8-sig")
    assert "Bímật" not in text and "0912345678" not in text
