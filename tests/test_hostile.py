"""Hostile inputs: every broken file gets its specified result (a one-line error with exit
code 2 and the old site untouched, or quarantine), never a traceback, never a leak."""

from __future__ import annotations

import codecs
import csv
import gzip
import io

import pytest
from buildkit import (
    AGENCIES,
    DOSSIER_HEADER,
    PROCEDURES,
    dossier_rows,
    run_build,
    tree_digest,
    write_export,
)

AS_OF = ("--as-of", "2026-03-31")


@pytest.fixture(scope="module")
def old_site(tmp_path_factory):
    """A good site that every failing build must leave exactly as it was."""
    base = tmp_path_factory.mktemp("old")
    out = base / "site"
    result = run_build(write_export(base / "data"), out, *AS_OF, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _fails_cleanly(result, old_site, before, name_in_message):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lỗi: ")
    assert name_in_message in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_digest(old_site) == before


def _dossiers_bytes(rows: list[str]) -> bytes:
    return ("\n".join([DOSSIER_HEADER, *rows]) + "\n").encode("utf-8")


FILE_LEVEL = {
    "windows_1258": lambda: _dossiers_bytes(dossier_rows(5)).replace(
        "Nguyễn".encode(), "Đà".encode("cp1258")
    ),
    "binary_junk": lambda: bytes(range(256)) * 64,
    "nul_bytes": lambda: _dossiers_bytes(dossier_rows(5)).replace(b"HS0003", b"HS\x00003"),
    "unbalanced_quote": lambda: _dossiers_bytes(
        dossier_rows(5)[:2] + ['"HS9999,000.00.01.Z99,1.001193,1,4'] + dossier_rows(30)[10:]
    ),
    "empty": lambda: b"",
    "header_only_missing_column": lambda: b"MaHoSo,MaTTHC\nHS1,1.001193\n",
}


@pytest.mark.parametrize("case", sorted(FILE_LEVEL))
def test_file_level_problems_stop_the_build(case, tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    (data / "dossiers.csv").write_bytes(FILE_LEVEL[case]())
    result = run_build(data, old_site, *AS_OF, "--quiet")
    _fails_cleanly(result, old_site, before, "dossiers")


def test_junk_xlsx_stops_the_build(tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    (data / "agencies.csv").unlink()
    (data / "agencies.xlsx").write_bytes(b"PK\x03\x04 this is not really a spreadsheet")
    _fails_cleanly(run_build(data, old_site, *AS_OF, "--quiet"), old_site, before, "agencies")


def test_too_many_bad_rows_stop_the_build(tmp_path, old_site):
    before = tree_digest(old_site)
    rows = dossier_rows(40)
    rows = [r.replace("000.00.01.Z99", "000.00.77.Z99") for r in rows]  # half the rows: unknown
    data = write_export(tmp_path / "data", dossiers=rows)
    result = run_build(data, old_site, *AS_OF, "--quiet")
    _fails_cleanly(result, old_site, before, "dossiers")
    # the commonest reason is named, with its count (half of the 40 rows)
    assert "lý do nhiều nhất: đơn vị không có trong danh mục (agency_id) (20 dòng)" in result.stderr


@pytest.fixture(scope="module")
def quarantined_build(tmp_path_factory):
    """One build whose inputs hold one bad row of each kind among 400 good ones."""
    base = tmp_path_factory.mktemp("quarantine")
    good = dossier_rows(400)
    bad = {
        "truncated": "HSX001,000.00.01.Z99,1.001193",
        "impossible_date": "HSX002,000.00.01.Z99,1.001193,1,4,31/02/2026,20260305170000,,A,1,1",
        "future_date": (
            "HSX003,000.00.01.Z99,1.001193,1,10,20260301080000,20260305170000,20990101090000,A,1,1"
        ),
        "duplicate": good[5],
        "unknown_agency": "HSX005,000.00.99.Z99,1.001193,1,4,20260301080000,20260305170000,,A,1,1",
        "unknown_procedure": (
            "HSX006,000.00.01.Z99,9.999999,1,4,20260301080000,20260305170000,,A,1,1"
        ),
        "huge_field": "HSX007,000.00.01.Z99,1.001193,1,4,20260301080000,20260305170000,,"
        + "X" * 3_000_000
        + ",1,1",
        "status_out_of_range": (
            "HSX008,000.00.01.Z99,1.001193,1,42,20260301080000,20260305170000,,A,1,1"
        ),
    }
    data = write_export(base / "data", dossiers=good + list(bad.values()))
    hostile_agencies = AGENCIES + (
        '000.00.05.Z99,"<script>alert(1)</script> Xã Độc Hại",commune,000.00.00.Z99,,,\n'
        '000.00.06.Z99,"=HYPERLINK(""http://x"";""y"")",commune,000.00.00.Z99,,,\n'
    )
    (data / "agencies.csv").write_text(hostile_agencies, encoding="utf-8")
    columns = ",".join(f"Cot{i}" for i in range(3000))
    (data / "procedures.csv").write_text(
        "MaTTHC,TenTTHC,LinhVuc,MucDo,SoNgayGiaiQuyet,CoPhiLePhi," + columns + "\n"
        "1.001193,Cấp Phiếu lý lịch tư pháp,Lý lịch tư pháp,4,10,1," + ",".join("v" * 3000) + "\n"
        "1.000001,Cấp giấy phép hành nghề,Y tế,3,15,0," + ",".join("w" * 3000) + "\n",
        encoding="utf-8",
    )
    out = base / "site"
    result = run_build(data, out, *AS_OF)
    return result, out


def test_bad_rows_are_quarantined_and_the_build_succeeds(quarantined_build):
    result, out = quarantined_build
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    text = (out / "du-lieu" / "quarantine.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    keys = {r["key"] for r in rows}
    for key in ("HSX002", "HSX003", "HSX005", "HSX006", "HSX008", "HS0005"):
        assert key in keys, f"{key} not quarantined"
    reasons = " ".join(r["reason"] for r in rows)
    assert "trùng lặp" in reasons and "sau ngày chốt" in reasons
    # the truncated line, under its id; the 3 MB field is read (it is the phone column: dropped)
    assert any(
        r["table"] == "dossiers" and r["key"] == "HSX001" and "CSV hỏng" in r["reason"]
        for r in rows
    )
    assert "HSX007" not in keys and "" not in keys


def test_markup_in_names_is_escaped_everywhere(quarantined_build):
    _, out = quarantined_build
    for path in out.rglob("*.html"):
        assert "<script>alert(1)</script>" not in path.read_text(encoding="utf-8"), path


def test_formula_injection_is_neutralised_in_csv_downloads(quarantined_build):
    _, out = quarantined_build
    text = (out / "du-lieu" / "agencies.csv").read_text(encoding="utf-8-sig")
    names = [r["name"] for r in csv.DictReader(io.StringIO(text))]
    assert '\'=HYPERLINK("http://x";"y")' in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)


# --------------------------------------------------------------------------------------------
# More hostile inputs: file forms, folders, arguments and the config file. Each fails before
# any figure is computed, so each build takes about a second.


def _xlsx(sheets: list[list[list]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for number, rows in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet(f"S{number}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _dossier_grid() -> list[list[str]]:
    return list(csv.reader(io.StringIO(_dossiers_bytes(dossier_rows(10)).decode())))


def _dossier_arrow():
    import pyarrow as pa

    grid = _dossier_grid()
    return pa.table({name: [row[i] for row in grid[1:]] for i, name in enumerate(grid[0])})


def _set(data, name: str, content: bytes | None) -> None:
    (data / "dossiers.csv").unlink()
    if content is not None:
        (data / name).write_bytes(content)


def _gz_truncated() -> bytes:
    packed = gzip.compress(_dossiers_bytes(dossier_rows(40)) * 20)
    return packed[: len(packed) // 2]


FORM_LEVEL = {
    # name -> (file written instead of dossiers.csv, its content; None: nothing)
    "only_bom": ("dossiers.csv", lambda: codecs.BOM_UTF8),
    "header_only": ("dossiers.csv", lambda: (DOSSIER_HEADER + "\n").encode()),
    "utf16_cut_mid_character": (
        "dossiers.csv",
        lambda: (
            codecs.BOM_UTF16_LE
            + _dossiers_bytes(dossier_rows(5)).decode().encode("utf-16-le")
            + b"A"
        ),
    ),
    "gzip_truncated": ("dossiers.csv.gz", _gz_truncated),
    "gzip_that_is_plain_text": ("dossiers.csv.gz", lambda: _dossiers_bytes(dossier_rows(5))),
    "parquet_truncated": ("dossiers.parquet", lambda: _parquet(_dossier_arrow())[:300]),
    "parquet_without_rows": ("dossiers.parquet", lambda: _parquet(_dossier_arrow().slice(0, 0))),
    "xlsx_that_is_csv": ("dossiers.xlsx", lambda: _dossiers_bytes(dossier_rows(5))),
    "old_xls_renamed": ("dossiers.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    "xlsx_truncated": ("dossiers.xlsx", lambda: _xlsx([_dossier_grid()])[:900]),
    "xlsx_first_sheet_empty": ("dossiers.xlsx", lambda: _xlsx([[], _dossier_grid()])),
    "line_longer_than_8_mb": (
        "dossiers.csv",
        lambda: (DOSSIER_HEADER + "\n").encode() + b"x" * (9 << 20),
    ),
    "missing_dossiers": ("dossiers.txt", lambda: _dossiers_bytes(dossier_rows(5))),
}


@pytest.mark.parametrize("case", sorted(FORM_LEVEL))
def test_broken_file_forms_stop_the_build(case, tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    name, content = FORM_LEVEL[case]
    _set(data, name, content())
    result = run_build(data, old_site, *AS_OF, "--quiet")
    _fails_cleanly(result, old_site, before, "dossiers")


def test_folder_named_like_a_file_stops_the_build(tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    (data / "dossiers.csv").unlink()
    (data / "dossiers.csv").mkdir()
    (data / "dossiers.csv" / "a.csv").write_bytes(_dossiers_bytes(dossier_rows(5)))
    result = run_build(data, old_site, *AS_OF, "--quiet")
    _fails_cleanly(result, old_site, before, "dossiers.csv/")
    assert "thư mục" in result.stderr


@pytest.mark.parametrize("target", ["self", "missing"])
def test_symlink_loops_and_dangling_links_stop_the_build(target, tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    (data / "dossiers.csv").unlink()
    (data / "dossiers.csv").symlink_to("dossiers.csv" if target == "self" else "/nonexistent/x")
    _fails_cleanly(run_build(data, old_site, *AS_OF, "--quiet"), old_site, before, "dossiers")


def test_empty_data_folder_names_a_missing_table(tmp_path, old_site):
    before = tree_digest(old_site)
    (tmp_path / "data").mkdir()
    result = run_build(tmp_path / "data", old_site, *AS_OF, "--quiet")
    _fails_cleanly(result, old_site, before, "agencies")


ARGUMENTS = {
    "as_of_not_iso": (("--as-of", "31/03/2026"), "--as-of"),
    "as_of_impossible_day": (("--as-of", "2026-02-31"), "--as-of"),
    "as_of_far_future": (("--as-of", "9999-12-31"), "9999-12-31"),
    "as_of_before_2000": (("--as-of", "0001-01-01"), "0001-01-01"),
    "unknown_option": (("--bogus\nsecond line",), "--bogus"),
}


@pytest.mark.parametrize("case", sorted(ARGUMENTS))
def test_bad_arguments_are_one_line(case, tmp_path, old_site):
    """argparse's usage text is several lines: the build says it in one, exit code 2."""
    before = tree_digest(old_site)
    extra, shown = ARGUMENTS[case]
    result = run_build(write_export(tmp_path / "data"), old_site, *extra, "--quiet")
    _fails_cleanly(result, old_site, before, shown)


def test_out_holding_the_data_is_refused(tmp_path):
    data = write_export(tmp_path / "data")
    before = tree_digest(data)
    for out in (data, tmp_path):
        result = run_build(data, out, *AS_OF, "--quiet")
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lỗi: ") and "--out" in lines[0]
        assert tree_digest(data) == before


def test_out_that_cannot_be_made_is_one_line(tmp_path):
    data = write_export(tmp_path / "data")
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file", tmp_path / "file" / "site"):
        result = run_build(data, out, *AS_OF, "--quiet")
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lỗi: ") and "file" in lines[0]
        assert "Traceback" not in result.stderr
    assert (tmp_path / "file").read_text() == "x"


CONFIGS = {
    "not_toml": ("[rules\nx =", "TOML"),
    "not_utf8": (b"\xff\xfe\x00r", "UTF-8"),
    "section_is_a_value": ("rules = 5\n", "[rules]"),
    "unknown_section": ("[rulez]\nx = 1\n", "rulez"),
    "unknown_key": ("[rules]\nmax_quarantin_pct = 90\n", "max_quarantin_pct"),
    "pct_negative": ("[rules]\nmax_quarantine_pct = -5\n", "max_quarantine_pct"),
    "pct_nan": ("[rules]\nmax_quarantine_pct = nan\n", "max_quarantine_pct"),
    "pct_text": ('[rules]\nmax_quarantine_pct = "5%"\n', "max_quarantine_pct"),
    "bool_as_text": ('[rules]\nsecond_supplement_is_late = "no"\n', "second_supplement_is_late"),
    "tolerance_negative": ("[rules]\nofficial_score_tolerance = -1\n", "official_score_tolerance"),
    "site_url_javascript": ('[province]\nsite_url = "javascript:alert(1)"\n', "site_url"),
    "name_not_text": ("[province]\nname = [1, 2]\n", "[province] name"),
    "bands_not_a_list": ("bands = 5\n", "bands"),
    "bands_empty": ("bands = []\n", "bands"),
    "band_without_label": ("[[bands]]\nmin = 0\n", "label"),
    "band_out_of_range": ('[[bands]]\nmin = 150\nlabel = "A"\n', "bands[1].min"),
    "band_min_is_bool": ('[[bands]]\nmin = true\nlabel = "A"\n', "bands[1].min"),
    "bands_same_min": (
        '[[bands]]\nmin = 0\nlabel = "A"\n[[bands]]\nmin = 0\nlabel = "B"\n',
        "min",
    ),
    "bands_without_zero": ('[[bands]]\nmin = 50\nlabel = "A"\n', "min = 0"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_bad_config_files_stop_the_build(case, tmp_path, old_site):
    before = tree_digest(old_site)
    text, shown = CONFIGS[case]
    config = tmp_path / "minhbach.toml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text, encoding="utf-8")
    data = write_export(tmp_path / "data")
    result = run_build(data, old_site, *AS_OF, "--quiet", "--config", str(config))
    _fails_cleanly(result, old_site, before, "minhbach.toml")
    assert shown in result.stderr


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_config_that_is_not_a_file_stops_the_build(kind, tmp_path, old_site):
    before = tree_digest(old_site)
    config = tmp_path / "minhbach.toml"
    if kind == "folder":
        config.mkdir()
    data = write_export(tmp_path / "data")
    result = run_build(data, old_site, *AS_OF, "--quiet", "--config", str(config))
    _fails_cleanly(result, old_site, before, "minhbach.toml")


# --------------------------------------------------------------------------------------------
# Names and ids that would break a unit's or a procedure's web address are quarantined (a name
# too long for one is cut instead); markup in names stays inert text on every page.

HOSTILE_UNITS = {
    # agency_id -> name
    "000.00.05.Z99": "🏛️🔥",  # no Latin letter or digit: no address can be made of it
    "000.00.06.Z99": "!!!",
    "000.00.07.Z99": "Dài" * 4000,  # 12,000 characters: kept, cut to 200 (test_long_values)
    "000.00.08.z99": "Sở Y tế bản sao",  # differs from 000.00.08.Z99 in case only
    "000.00.08.Z99": "Sở Y tế bản gốc",
    "★": "Xã Ngôi Sao",  # an id without letters or digits
    "000.00.09.Z99": "{{ 7*7 }} {% raw %}",
    "000.00.10.Z99": "[bấm](javascript:alert(1)) | ô | `mã` <!--",
}
HOSTILE_PROCEDURES = {
    "9.000001": "<img src=x onerror=alert(4)>",
    "9 000002": "Thủ tục có dấu cách trong mã",  # folder tt-9-000002 ...
    "tt-9-000002": "Thủ tục trùng thư mục",  # ... which this id would use too
    "9." + "1" * 80: "Mã quá dài",
}


@pytest.fixture(scope="module")
def hostile_names_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("names")
    data = write_export(base / "data")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for agency_id, name in HOSTILE_UNITS.items():
        writer.writerow([agency_id, name, "commune", "000.00.00.Z99", "", "", ""])
    (data / "agencies.csv").write_text(AGENCIES + buffer.getvalue(), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for procedure_id, name in HOSTILE_PROCEDURES.items():
        writer.writerow([procedure_id, name, name, "4", "5", "0"])
    (data / "procedures.csv").write_text(PROCEDURES + buffer.getvalue(), encoding="utf-8")
    rows = dossier_rows(200)
    extra = [
        f"HU{i:03d},{agency_id},1.001193,1,4,20260301080000,20260305170000,,A,1,1"
        for i, agency_id in enumerate(HOSTILE_UNITS)
    ] + [
        f"HP{i:03d},000.00.01.Z99,{procedure_id},1,4,20260301080000,20260305170000,,A,1,1"
        for i, procedure_id in enumerate(HOSTILE_PROCEDURES)
    ]
    (data / "dossiers.csv").write_bytes(_dossiers_bytes(rows + extra))
    config = base / "minhbach.toml"
    config.write_text("[rules]\nmax_quarantine_pct = 90\n", encoding="utf-8")
    out = base / "site"
    result = run_build(data, out, *AS_OF, "--quiet", "--config", str(config))
    return result, out


def test_names_and_ids_without_an_address_are_quarantined(hostile_names_build):
    result, out = hostile_names_build
    assert result.returncode == 0, result.stderr
    rows = list(
        csv.DictReader(
            io.StringIO((out / "du-lieu" / "quarantine.csv").read_text(encoding="utf-8-sig"))
        )
    )
    reasons = {(r["table"], r["key"]): r["reason"] for r in rows}
    for key in ("000.00.05.Z99", "000.00.06.Z99"):
        assert "không có chữ cái Latin hoặc chữ số (name)" in reasons["agencies", key]
    assert ("agencies", "000.00.07.Z99") not in reasons  # its name is cut, its address too
    agencies = csv.DictReader(
        io.StringIO((out / "du-lieu" / "agencies.csv").read_text(encoding="utf-8-sig"))
    )
    slug = next(r["slug"] for r in agencies if r["agency_id"] == "000.00.07.Z99")
    assert slug == "dai" * 66 + "d" and (out / "co-quan" / slug / "index.html").is_file()
    for key in ("000.00.08.z99", "000.00.08.Z99"):
        assert "chữ hoa/thường" in reasons["agencies", key]
    assert "(agency_id)" in reasons["agencies", "★"]
    for key in ("9 000002", "tt-9-000002"):
        assert "dấu câu (procedure_id)" in reasons["procedures", key]
    assert "dài hơn 64 ký tự" in reasons["procedures", "9." + "1" * 62]  # keys cut to 64
    assert "000.00.09.Z99" not in {k for t, k in reasons if t == "agencies"}


def test_markup_in_names_is_inert_text(hostile_names_build):
    result, out = hostile_names_build
    assert result.returncode == 0, result.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    shown = [p for p, html in pages.items() if "{{ 7*7 }} {% raw %}" in html]
    assert shown, "the unit named {{ 7*7 }} is on no page"
    for path, html in pages.items():
        assert "<img src=x" not in html, path
        assert 'href="javascript:' not in html, path
        assert "49 {% raw %}" not in html, path
        assert "`mã` <!--" not in html, path
    assert any("`mã` &lt;!--" in html for html in pages.values())


@pytest.mark.parametrize(
    "marker",
    ["as_of = 9999-12-31\n", "as_of = 1900-01-01\n", "province_name = 12\n", "note = [1]\n"],
)
def test_bad_synthetic_marker_stops_the_build(marker, tmp_path, old_site):
    before = tree_digest(old_site)
    data = write_export(tmp_path / "data")
    (data / "_synthetic.toml").write_text(marker, encoding="utf-8")
    _fails_cleanly(run_build(data, old_site, "--quiet"), old_site, before, "_synthetic.toml")


def test_a_config_without_a_public_address_is_fine(tmp_path):
    from minhbach.config import load_settings

    config = tmp_path / "minhbach.toml"
    config.write_text('[province]\nname = ""\nsite_url = ""\n', encoding="utf-8")
    assert load_settings(config).site_url == ""
