"""The open-data downloads (site.md, "Downloads"): a public contract, tested on hand-made tables
(tests/publish/handmade.py) described by contracts made from the real ones."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
from decimal import Decimal

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest

from minhbach.errors import BuildError
from minhbach.publish import csv as csv_rules
from minhbach.publish import datapackage, downloads

from .handmade import (
    BOM,
    BUILD,
    SPEC_KEY_COLUMNS,
    ZIP,
    hand_datasets,
    make_db,
    read_csv,
    write,
    write_units,
)


def test_csv_has_bom_and_crlf_and_spec_key_columns_first(built):
    _con, out, infos = built
    assert [i.name for i in infos] == list(SPEC_KEY_COLUMNS)
    for name, keys in SPEC_KEY_COLUMNS.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(BOM + keys[0].encode())
        assert raw.endswith(b"\r\n")
        header = read_csv(out / f"{name}.csv")[0]
        assert header[: len(keys)] == keys, name
        assert not [c for c in header if c.startswith("_")]
        assert not {"points_exact", "rank_order", "synthetic_row"} & set(header)
    extras = {
        "agency_period_metrics": ["avg_days"],
        "scores_766": ["total_delta", "rule_set"],
        "procedure_metrics": ["field"],
        "agencies": ["is_province"],
        "quarantine": ["source", "line"],
    }
    for name, more in extras.items():
        header = read_csv(out / f"{name}.csv")[0]
        assert header[len(SPEC_KEY_COLUMNS[name]) :] == more


def test_csv_is_rfc4180_with_quotes_only_where_needed(built):
    _con, out, _infos = built
    for name in SPEC_KEY_COLUMNS:
        raw = (out / f"{name}.csv").read_bytes()
        rows = read_csv(out / f"{name}.csv")
        again = io.StringIO(newline="")
        csv.writer(again, lineterminator="\r\n").writerows(rows)
        assert BOM + again.getvalue().encode() == raw, name


def test_formula_cells_neutralised_numbers_untouched(built):
    _con, out, _infos = built
    rows = read_csv(out / "agencies.csv")
    names = {r[0]: r[1] for r in rows[1:]}
    assert names["B"] == '\'=HYPERLINK("x")'
    assert names["A"] == "Sở Tư pháp"

    header, *body = read_csv(out / "procedure_metrics.csv")
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert by_id["1.000001"]["procedure_name"] == "'-Cấp phiếu lý lịch tư pháp"
    assert by_id["1.000001"]["field"] == "'+Tư pháp"
    assert by_id["1.000002"]["procedure_name"] == "'@Đăng ký khai sinh"
    assert by_id["1.000002"]["field"] == "'\tHộ tịch"
    assert by_id["1.000003"]["field"] == "'\rCR"
    assert by_id["1.000003"]["procedure_name"] == 'Thủ tục, có "ngoặc"\r\nxuống dòng'
    # Numbers: no exponent, '.' decimal point, non-finite as empty.
    assert by_id["1.000001"]["median_days"] == "0.00001"
    assert by_id["1.000001"]["p90_days"] == "10000000000000000"
    assert by_id["1.000002"]["p90_days"] == ""
    assert by_id["1.000002"]["statutory_days"] == "5.5"
    assert by_id["1.000001"]["on_time_pct"] == "87.50"

    header, *body = read_csv(out / "scores_766.csv")
    a = dict(zip(header, body[0], strict=True))
    assert a["agency_id"] == "A" and a["total_delta"] == "-1.5"
    assert a["band"] == "Tốt" and a["rank"] == "2" and a["total_100"] == "84.18"

    header, *body = read_csv(out / "agency_period_metrics.csv")
    rows = [dict(zip(header, r, strict=True)) for r in body]
    a_march = next(r for r in rows if r["agency_id"] == "A" and r["period"] == "2026-03")
    assert a_march["satisfied_pct"] == "-1.50"  # a negative number is never neutralised
    assert a_march["on_time_pct"] == "35.13"
    assert a_march["complete"] == "true"
    b = next(r for r in rows if r["agency_id"] == "B")
    assert b["agency_name"] == '\'=HYPERLINK("x")'

    raw = (out / "quarantine.csv").read_bytes().decode("utf-8-sig")
    assert '"\'=1+1"' not in raw and ",'=1+1," in raw  # quoted only when needed


def test_null_is_an_empty_cell_and_types_are_written_plainly(built):
    _con, out, _infos = built
    header, *body = read_csv(out / "agencies.csv")
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert rows["P"]["parent_id"] == "" and rows["P"]["valid_from"] == ""
    assert rows["A"]["valid_from"] == "2020-01-01" and rows["A"]["valid_to"] == "2026-03-31"
    assert rows["P"]["is_province"] == "true" and rows["A"]["is_province"] == "false"
    raw = (out / "agencies.csv").read_bytes().decode("utf-8-sig")
    assert "\r\nP,Tỉnh Minh Họa,tinh-minh-hoa,province,,,,,true\r\n" in raw

    header, *body = read_csv(out / "index_766.csv")
    rows = [dict(zip(header, r, strict=True)) for r in body]
    ckmb = next(r for r in rows if r["indicator"] == "1.1")
    assert ckmb["points"] == "" and ckmb["numerator"] == "" and ckmb["assessed"] == "false"


def test_rows_sorted_by_key(built):
    _con, out, _infos = built
    header, *body = read_csv(out / "agency_period_metrics.csv")
    keys = [(r[0], r[3], r[4]) for r in body]
    assert keys == sorted(keys)
    assert keys[0] == ("A", "2026", "year")
    header, *body = read_csv(out / "quarantine.csv")
    assert [r[0] for r in body] == ["agencies", "dossiers", "dossiers"]
    assert [r[1] for r in body[1:]] == ["'=1+1", "HS-2"]


def _normal(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_json_and_parquet_hold_the_same_rows(built):
    _con, out, infos = built
    for info in infos:
        records = json.loads((out / f"{info.name}.json").read_text(encoding="utf-8"))
        table = pq.read_table(out / f"{info.name}.parquet")
        header, *body = read_csv(out / f"{info.name}.csv")
        names = [c.name for c in info.columns]
        assert table.column_names == names == header
        assert all(list(r) == names for r in records)
        parquet_rows = [{k: _normal(v) for k, v in r.items()} for r in table.to_pylist()]
        assert records == parquet_rows, info.name
        assert len(records) == len(body) == info.rows
        for record, csv_row in zip(records, body, strict=True):
            for col, cell in zip(info.columns, csv_row, strict=True):
                value = record[col.name]
                if value is None:
                    assert cell == ""
                elif isinstance(value, bool):
                    assert cell == str(value).lower()
                elif isinstance(value, int | float):
                    assert float(cell) == value
                elif col.type == "string":
                    starts = value[:1] in ("=", "+", "-", "@", "\t", "\r")
                    assert cell == ("'" + value if starts else value)
                else:
                    assert cell == value
    records = json.loads((out / "procedure_metrics.json").read_text(encoding="utf-8"))
    assert records[0]["procedure_name"] == "-Cấp phiếu lý lịch tư pháp"  # not neutralised
    assert records[1]["p90_days"] is None  # NaN
    agencies = json.loads((out / "agencies.json").read_text(encoding="utf-8"))
    assert agencies[0]["valid_from"] == "2020-01-01"


def test_parquet_columns_are_typed(built):
    _con, out, _infos = built
    schema = pq.read_schema(out / "agency_period_metrics.parquet")
    assert str(schema.field("received_new").type) == "int64"
    assert str(schema.field("on_time_pct").type) == "decimal128(5, 2)"
    assert str(schema.field("complete").type) == "bool"
    assert str(pq.read_schema(out / "agencies.parquet").field("valid_from").type) == "date32[day]"


def test_dataset_info_for_the_page(built):
    _con, out, infos = built
    apm = infos[0]
    assert apm.title and apm.description and apm.row_text == "một đơn vị trong một kỳ"
    assert apm.rows == 5 and apm.update_frequency == "hằng ngày"
    assert [f.format for f in apm.files] == ["csv", "json", "parquet", "xlsx"]
    assert apm.file("csv").name == "agency_period_metrics.csv"
    assert apm.file("csv").bytes == (out / "agency_period_metrics.csv").stat().st_size
    col = apm.columns[0]
    assert (col.name, col.type) == ("agency_id", "string") and col.description
    assert [f.name for f in datapackage.package_files(out)] == ["datapackage.json", ZIP]


def test_rebuild_gives_identical_bytes(built, tmp_path):
    _con, out, _infos = built
    con = make_db()
    again = tmp_path / "du-lieu"
    write(con, again)
    write_units(con, tmp_path)
    first = sorted(p.relative_to(out.parent) for p in out.parent.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (out.parent / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    # The connection's setting is left as it was.
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)


def test_missing_key_column_stops_the_build(tmp_path):
    con = make_db()
    con.execute("ALTER TABLE index_766 DROP COLUMN rate_pct")
    with pytest.raises(BuildError, match=r"index_766.*rate_pct"):
        write(con, tmp_path)


def test_missing_table_stops_the_build(tmp_path):
    con = make_db()
    con.execute("DROP TABLE quarantine")
    with pytest.raises(BuildError, match="quarantine"):
        write(con, tmp_path)
    with pytest.raises(BuildError, match="scores_766"):
        con.execute("DROP TABLE scores_766")
        write_units(con, tmp_path)


def test_duplicate_primary_key_stops_the_build(tmp_path):
    con = make_db()
    con.execute("INSERT INTO dim_agencies (agency_id, name, slug) VALUES ('A', 'X', 'x')")
    with pytest.raises(BuildError, match="dim_agencies"):
        write(con, tmp_path)


@pytest.mark.parametrize(
    "value",
    [1e-05, 1.5e-07, -2.5e-10, 5e-324, 1e16, -1.2345678901234568e17, 1e300, 123.456, 0.001,
     0.00099, 999999999999999.9, 10.0, 0.0, -1.5, 2.5, 1 / 3],
)  # fmt: skip
def test_floats_are_written_without_exponent(value):
    con = duckdb.connect()
    sql = csv_rules.plain_number_sql("x")
    (text,) = con.execute(f"SELECT {sql} FROM (SELECT ?::DOUBLE AS x)", [value]).fetchone()
    assert "e" not in text.lower()
    assert float(text) == value
    assert Decimal(text) == Decimal(repr(value))


def test_timestamps_times_and_enums(tmp_path):
    con = make_db()
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    con.execute("CREATE TYPE kind AS ENUM ('-bad', 'ok')")
    con.execute("ALTER TABLE quarantine ADD COLUMN read_at TIMESTAMP")
    con.execute("ALTER TABLE quarantine ADD COLUMN read_tz TIMESTAMPTZ")
    con.execute("ALTER TABLE quarantine ADD COLUMN read_time TIME")
    con.execute("ALTER TABLE quarantine ADD COLUMN kind kind")
    con.execute(
        "UPDATE quarantine SET read_at = TIMESTAMP '2026-03-31 10:15:00', "
        "read_tz = TIMESTAMPTZ '2026-03-31 10:15:00+07', read_time = TIME '10:15:00', "
        "kind = '-bad' WHERE key = 'HS-2'"
    )
    write(con, tmp_path)
    header, *body = read_csv(tmp_path / "quarantine.csv")
    row = dict(zip(header, body[2], strict=True))
    assert row["read_at"] == "2026-03-31T10:15:00"
    assert row["read_tz"] == "2026-03-31T03:15:00Z"
    assert row["read_time"] == "10:15:00"
    assert row["kind"] == "'-bad"
    assert dict(zip(header, body[0], strict=True))["read_at"] == ""
    record = json.loads((tmp_path / "quarantine.json").read_text(encoding="utf-8"))[2]
    assert record["read_at"] == "2026-03-31T10:15:00" and record["kind"] == "-bad"
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    fields = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    types = {f["name"]: f["type"] for f in fields["resources"][5]["schema"]["fields"]}
    assert types["read_at"] == "datetime" and types["read_time"] == "time"
    assert types["kind"] == "string"


def test_unsupported_column_type_stops_the_build(tmp_path):
    con = make_db()
    con.execute("ALTER TABLE agency_period_metrics ADD COLUMN extra INTEGER[]")
    with pytest.raises(BuildError, match=r"agency_period_metrics\.extra"):
        write(con, tmp_path)


def test_empty_text_is_quoted_to_differ_from_null(tmp_path):
    con = make_db()
    con.execute("UPDATE agency_period_metrics SET level = '' WHERE agency_id = 'B'")
    write(con, tmp_path / "du-lieu")
    write_units(con, tmp_path)
    main = (tmp_path / "du-lieu" / "agency_period_metrics.csv").read_bytes()
    unit = (tmp_path / "co-quan" / "hyperlink-x" / "hyperlink-x.csv").read_bytes()
    for raw in (main, unit):
        assert b'\r\nB,"\'=HYPERLINK(""x"")","",2026-03,month,true,' in raw


def test_big_table_is_published_gzipped(gz_built):
    big, plain, out, infos = gz_built
    info = {i.name: i for i in infos}[big]
    assert [f.name for f in info.files] == [
        f"{big}.csv.gz",
        f"{big}.json.gz",
        f"{big}.parquet",
        f"{big}.xlsx",
    ]
    assert not (out / f"{big}.csv").exists()
    assert not (out / f"{big}.json").exists()
    for f in info.files[:2]:
        data = (out / f.name).read_bytes()
        original = (plain / f.name.removesuffix(".gz")).read_bytes()
        # The same bytes once unzipped, and a deterministic gzip (no name, mtime 0).
        assert gzip.decompress(data) == original
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=buf, mtime=0) as z:
            z.write(original)
        assert data == buf.getvalue()
        assert f.compression == "gz" and f.mediatype == "application/gzip"
        assert (f.bytes, f.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert (f.plain_bytes, f.plain_sha256) == (
            len(original),
            hashlib.sha256(original).hexdigest(),
        )
    # The other tables are as without the threshold.
    for name in {i.name for i in infos} - {big}:
        for ext in ("csv", "json", "parquet", "xlsx"):
            assert (out / f"{name}.{ext}").read_bytes() == (plain / f"{name}.{ext}").read_bytes()


def test_a_table_column_missing_from_the_contract_stops_the_build(tmp_path):
    con = make_db()
    sets = hand_datasets(con)
    con.execute("ALTER TABLE quarantine ADD COLUMN stray VARCHAR")
    with pytest.raises(BuildError, match=r"quarantine có cột stray không có trong"):
        downloads.write_downloads(con, tmp_path, build=BUILD, datasets=sets)


def test_the_contracts_type_must_be_the_tables(tmp_path):
    con = make_db()
    sets = [
        dataclasses.replace(
            d,
            columns=tuple(
                dataclasses.replace(c, type="integer") if c.name == "reason" else c
                for c in d.columns
            ),
        )
        for d in hand_datasets(con)
    ]
    with pytest.raises(BuildError, match=r"quarantine\.reason có kiểu VARCHAR \(string\).*integer"):
        downloads.write_downloads(con, tmp_path, build=BUILD, datasets=tuple(sets))


def test_rows_follow_the_contracts_order(tmp_path):
    con = make_db()
    sets = tuple(
        dataclasses.replace(d, order_by=("reason",)) if d.name == "quarantine" else d
        for d in hand_datasets(con)
    )
    downloads.write_downloads(con, tmp_path, build=BUILD, datasets=sets)
    _, *body = read_csv(tmp_path / "quarantine.csv")
    assert [r[2] for r in body] == ["dòng trống", "mã trùng", "thiếu ngày tiếp nhận"]
