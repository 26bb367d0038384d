"""Hostile inputs: every broken file gets its specified result (a one-line error with exit
code 2 and the old site untouched, or quarantine), never a traceback, never a leak."""

from __future__ import annotations

import csv
import io

import pytest
from buildkit import AGENCIES, DOSSIER_HEADER, dossier_rows, run_build, tree_digest, write_export

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
    _fails_cleanly(run_build(data, old_site, *AS_OF, "--quiet"), old_site, before, "dossiers")


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
    assert any(r["table"] == "dossiers" and r["key"] == "" for r in rows)  # malformed lines


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
