"""The bundled synthetic province (minhbach.sample): deterministic, complete, in the contract's
shape, in either format, from the command line."""

from __future__ import annotations

import tomllib

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from minhbach import sample
from minhbach.contract import TABLES, alias_map, normalise_header
from minhbach.sample.__main__ import main

from .province import AS_OF, SEED, N, dossiers, header, rows, tree, ts


def test_same_arguments_give_byte_identical_files(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    sample.generate(a, dossiers=800, seed=11)
    sample.generate(b, dossiers=800, seed=11)
    sample.generate(c, dossiers=800, seed=12)
    assert tree(a) == tree(b)
    assert tree(a) != tree(c)


def test_every_table_is_written_with_the_expected_headers(data):
    out, counts = data
    expected = {
        "agencies": sample.AGENCY_COLUMNS,
        "procedures": sample.PROCEDURE_COLUMNS,
        "supplements": sample.SUPPLEMENT_COLUMNS,
        "ratings": sample.RATING_COLUMNS,
        "feedback": sample.FEEDBACK_COLUMNS,
        "procedure_publications": sample.PUBLICATION_COLUMNS,
        "official_scores": sample.SCORE_COLUMNS,
    }
    for name, columns in expected.items():
        path = out / f"{name}.csv"
        assert header(path) == list(columns), name
        assert len(rows(path)) == counts[name] > 0, name
    months = sorted(p.name for p in (out / "dossiers").iterdir())
    assert months[0] == "2024-10.csv" and months[-1] == "2026-11.csv"
    assert len(months) == 26
    for f in months:
        assert header(out / "dossiers" / f) == list(sample.DOSSIER_COLUMNS)
    assert len(dossiers(out)) == counts["dossiers"] == N


def test_every_contract_column_is_understood(data):
    """Each header maps to a contract column, or is a personal-data column the build drops."""
    out, _ = data
    files = {name: out / f"{name}.csv" for name in sample.TABLE_FILES}
    files["dossiers"] = out / "dossiers" / "2024-10.csv"
    personal = {normalise_header(c) for c in ("ChuHoSo", "SoDienThoai", "SoGiayToChuHoSo")}
    personal |= {normalise_header(c) for c in ("TrichYeuHoSo", "NguoiDanhGia", "NoiDung")}
    for name, path in files.items():
        aliases = alias_map(TABLES[name])
        mapped = set()
        for col in header(path):
            key = normalise_header(col)
            assert key in aliases or key in personal, (name, col)
            if key in aliases:
                mapped.add(aliases[key])
        required = {c.name for c in TABLES[name].columns if c.required}
        assert required <= mapped, (name, required - mapped)


def test_marker_says_the_province_is_not_real(data):
    out, _ = data
    marker = tomllib.loads((out / "_synthetic.toml").read_text(encoding="utf-8"))
    assert marker["province_name"] == "Tỉnh Minh Họa (giả lập)"
    assert "giả lập" in marker["note"] and "không" in marker["note"]
    assert marker["seed"] == SEED
    assert marker["as_of"] == AS_OF
    assert marker["generator"].startswith("minhbach.sample")


def test_no_event_after_the_as_of_date(data):
    out, _ = data
    events = {
        "dossiers": ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra"),
        "supplements": ("NgayYeuCauBoSung", "NgayTiepNhanBoSung"),
        "ratings": ("ThoiGianDanhGia",),
        "feedback": ("NgayTiepNhan", "NgayXuLy"),
        "procedure_publications": ("published_at", "made_public_at"),
    }
    later_due = 0
    for table, columns in events.items():
        found = dossiers(out) if table == "dossiers" else rows(out / f"{table}.csv")
        for r in found:
            for c in columns:
                t = ts(r[c])
                assert t is None or t.date() <= AS_OF, (table, c, r[c])
            if table == "dossiers" and r["TrangThaiHoSo"] in ("2", "4", "5", "6"):
                later_due += ts(r["NgayHenTra"]) is not None and ts(r["NgayHenTra"]) > ts(
                    "20261115000000"
                )
    assert later_due > 0  # open dossiers may be due after the as-of date


def test_parquet_has_the_same_layout_and_values(tmp_path):
    a, b = tmp_path / "csv", tmp_path / "parquet"
    sample.generate(a, dossiers=500, seed=3)
    sample.generate(b, dossiers=500, seed=3, fmt="parquet")
    names = [*sample.TABLE_FILES, *(f"dossiers/{p.stem}" for p in (a / "dossiers").iterdir())]
    for name in names:
        assert (b / f"{name}.parquet").is_file() and not (b / f"{name}.csv").exists()
        opts = pacsv.ConvertOptions(
            column_types={c: "string" for c in header(a / f"{name}.csv")},
            strings_can_be_null=True,
        )
        from_csv = pacsv.read_csv(a / f"{name}.csv", convert_options=opts)
        assert pq.read_table(b / f"{name}.parquet").equals(from_csv), name


def test_removes_only_its_own_files(tmp_path):
    (tmp_path / "dossiers").mkdir()
    (tmp_path / "notes.txt").write_text("keep")
    (tmp_path / "dossiers" / "README").write_text("keep")
    (tmp_path / "agencies.parquet").write_bytes(b"stale")
    (tmp_path / "dossiers" / "2019-01.csv").write_text("stale")
    sample.generate(tmp_path, dossiers=200)
    assert (tmp_path / "notes.txt").read_text() == "keep"
    assert (tmp_path / "dossiers" / "README").read_text() == "keep"
    assert not (tmp_path / "agencies.parquet").exists()
    assert not (tmp_path / "dossiers" / "2019-01.csv").exists()


def test_command_line(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--dossiers", "300", "--seed", "5"]) == 0
    assert "dossiers" in capsys.readouterr().out
    assert len(dossiers(tmp_path)) == 300
