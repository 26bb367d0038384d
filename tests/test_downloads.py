"""The open-data downloads (site.md, "Downloads"): a public contract, tested on hand-made tables."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest

from minhbach import downloads
from minhbach.errors import BuildError

BOM = b"\xef\xbb\xbf"

# The key columns of site.md, in its order (methodology §2 figures and rates for the first).
SPEC_KEY_COLUMNS = {
    "agency_period_metrics": [
        "agency_id", "agency_name", "level", "period", "period_type", "complete",
        "carried_over", "received_new", "received_online", "received_direct", "received_postal",
        "to_handle", "resolved", "resolved_early", "resolved_on_time", "resolved_late",
        "withdrawn_stopped", "waiting_applicant", "in_progress", "in_progress_within",
        "in_progress_overdue", "refused_at_intake", "postal_uses",
        "on_time_pct", "late_pct", "online_pct", "overdue_open_pct", "satisfied_pct",
    ],
    "index_766": [
        "agency_id", "period", "period_type", "group", "indicator", "numerator", "denominator",
        "rate_pct", "points", "max_points", "assessed", "rule_set",
    ],
    "scores_766": [
        "agency_id", "agency_name", "level", "period", "period_type", "CKMB", "TDGQ", "CLGQ",
        "TTTT", "MDSH", "MDHL", "total", "assessed_max", "total_100", "band", "rank", "rank_of",
        "official_total",
    ],
    "procedure_metrics": [
        "procedure_id", "procedure_name", "agency_id", "period", "period_type", "received_new",
        "resolved", "on_time_pct", "median_days", "p90_days", "statutory_days",
    ],
    "agencies": [
        "agency_id", "name", "slug", "level", "parent_id", "valid_from", "valid_to",
        "successor_id",
    ],
    "quarantine": ["table", "key", "reason"],
}  # fmt: skip

FIGURES = SPEC_KEY_COLUMNS["agency_period_metrics"][6:23]
RATES = SPEC_KEY_COLUMNS["agency_period_metrics"][23:]

META = downloads.DownloadMeta(
    province_name="Tỉnh Minh Họa",
    as_of=dt.date(2026, 3, 31),
    build_time=dt.datetime(2026, 4, 1, 6, 30, 0),
    rule_set="qd766-v1",
    synthetic=True,
    site_url="https://example.org/minhbach/",
)


def _metrics_row(agency, name, level, period, period_type, complete, base, rates):
    figures = {f: base + i for i, f in enumerate(FIGURES)}
    return {
        "agency_id": agency,
        "agency_name": name,
        "level": level,
        "period": period,
        "period_type": period_type,
        "complete": complete,
        **figures,
        **dict(zip(RATES, rates, strict=True)),
    }


def make_db() -> duckdb.DuckDBPyConnection:
    """The six source tables, by hand; columns deliberately not in the spec's order."""
    con = duckdb.connect()
    # As the pipeline does: COPY must still keep the rows in order.
    con.execute("SET preserve_insertion_order = false")
    fig_cols = ", ".join(f"{f} BIGINT" for f in FIGURES)
    rate_cols = ", ".join(f"{r} DECIMAL(5,2)" for r in RATES)
    con.execute(
        f"""CREATE TABLE agency_period_metrics (
            period VARCHAR, _debug VARCHAR, agency_id VARCHAR, avg_days DOUBLE,
            agency_name VARCHAR, level VARCHAR, period_type VARCHAR, complete BOOLEAN,
            {fig_cols}, {rate_cols}, synthetic_row BOOLEAN)"""
    )
    rows = [
        _metrics_row("A", "Sở Tư pháp", "department", "2026-03", "month", True, 0,
                     [Decimal("35.13"), Decimal("64.87"), Decimal("50.00"), None,
                      Decimal("-1.50")]),
        _metrics_row("A", "Sở Tư pháp", "department", "2026-02", "month", True, 10,
                     [Decimal("100.00"), Decimal("0.00"), None, None, None]),
        _metrics_row("A", "Sở Tư pháp", "department", "2026", "year", False, 20,
                     [Decimal("90.10"), Decimal("9.90"), None, None, None]),
        _metrics_row("B", '=HYPERLINK("x")', "department", "2026-03", "month", True, 5,
                     [None, None, None, None, None]),
        _metrics_row("P", "Tỉnh Minh Họa", "province", "2026-03", "month", True, 100,
                     [Decimal("96.57"), Decimal("3.43"), Decimal("12.00"), Decimal("1.00"), None]),
    ]  # fmt: skip
    for r in rows:
        r["avg_days"] = 2.5 if r["agency_id"] == "A" else None
        r["_debug"] = "internal"
        r["synthetic_row"] = False
    _insert(con, "agency_period_metrics", rows)

    con.execute(
        """CREATE TABLE index_766 (
            agency_id VARCHAR, period VARCHAR, period_type VARCHAR, "group" VARCHAR,
            indicator VARCHAR, numerator BIGINT, denominator BIGINT, rate_pct DECIMAL(6,2),
            points DECIMAL(6,2), max_points DECIMAL(6,2), assessed BOOLEAN, rule_set VARCHAR,
            points_exact DOUBLE)"""
    )
    _insert(
        con,
        "index_766",
        [
            dict(agency_id="A", period="2026-03", period_type="month", group="TDGQ",
                 indicator="2.1", numerator=281, denominator=800, rate_pct=Decimal("35.13"),
                 points=Decimal("7.03"), max_points=Decimal("20"), assessed=True,
                 rule_set="qd766-v1", points_exact=7.025),
            dict(agency_id="A", period="2026-03", period_type="month", group="CKMB",
                 indicator="1.1", numerator=None, denominator=0, rate_pct=None, points=None,
                 max_points=Decimal("6"), assessed=False, rule_set="qd766-v1", points_exact=None),
            dict(agency_id="B", period="2026-03", period_type="month", group="TDGQ",
                 indicator="2.1", numerator=5, denominator=5, rate_pct=Decimal("100.00"),
                 points=Decimal("20.00"), max_points=Decimal("20"), assessed=True,
                 rule_set="qd766-v1", points_exact=20.0),
        ],
    )  # fmt: skip

    groups = SPEC_KEY_COLUMNS["scores_766"][5:11]
    con.execute(
        "CREATE TABLE scores_766 (agency_id VARCHAR, agency_name VARCHAR, level VARCHAR, "
        "period VARCHAR, period_type VARCHAR, "
        + ", ".join(f'"{g}" DECIMAL(6,2)' for g in groups)
        + ", total DECIMAL(6,2), assessed_max DECIMAL(6,2), total_100 DECIMAL(6,2), "
        "band VARCHAR, rank INTEGER, rank_of INTEGER, official_total DECIMAL(6,2), "
        "rank_order INTEGER, total_delta DOUBLE, rule_set VARCHAR)"
    )
    _insert(
        con,
        "scores_766",
        [
            dict(agency_id="A", agency_name="Sở Tư pháp", level="department", period="2026-03",
                 period_type="month", CKMB=None, TDGQ=Decimal("7.03"), CLGQ=Decimal("12"),
                 TTTT=Decimal("10"), MDSH=Decimal("22"), MDHL=Decimal("18"),
                 total=Decimal("69.03"), assessed_max=Decimal("82"), total_100=Decimal("84.18"),
                 band="Tốt", rank=2, rank_of=2, official_total=None, rank_order=2,
                 total_delta=-1.5, rule_set="qd766-v1"),
            dict(agency_id="B", agency_name='=HYPERLINK("x")', level="department",
                 period="2026-03", period_type="month", CKMB=None, TDGQ=Decimal("20"),
                 CLGQ=Decimal("12"), TTTT=Decimal("10"), MDSH=Decimal("22"), MDHL=Decimal("18"),
                 total=Decimal("82"), assessed_max=Decimal("82"), total_100=Decimal("100.00"),
                 band="Xuất sắc", rank=1, rank_of=2, official_total=Decimal("99.50"),
                 rank_order=1, total_delta=0.25, rule_set="qd766-v1"),
        ],
    )  # fmt: skip

    con.execute(
        "CREATE TABLE procedure_metrics (procedure_id VARCHAR, procedure_name VARCHAR, "
        "agency_id VARCHAR, period VARCHAR, period_type VARCHAR, received_new BIGINT, "
        "resolved BIGINT, on_time_pct DECIMAL(5,2), median_days DOUBLE, p90_days DOUBLE, "
        "statutory_days DOUBLE, field VARCHAR)"
    )
    _insert(
        con,
        "procedure_metrics",
        [
            dict(procedure_id="1.000001", procedure_name="-Cấp phiếu lý lịch tư pháp",
                 agency_id="A", period="2026-03", period_type="month", received_new=10,
                 resolved=8, on_time_pct=Decimal("87.50"), median_days=1e-05, p90_days=1e16,
                 statutory_days=10.0, field="+Tư pháp"),
            dict(procedure_id="1.000002", procedure_name="@Đăng ký khai sinh", agency_id="A",
                 period="2026-03", period_type="month", received_new=0, resolved=0,
                 on_time_pct=None, median_days=None, p90_days=float("nan"), statutory_days=5.5,
                 field="\tHộ tịch"),
            dict(procedure_id="1.000003", procedure_name="Thủ tục, có \"ngoặc\"\r\nxuống dòng",
                 agency_id="B", period="2026-03", period_type="month", received_new=3,
                 resolved=3, on_time_pct=Decimal("100.00"), median_days=2.0, p90_days=3.25,
                 statutory_days=None, field="\rCR"),
        ],
    )  # fmt: skip

    con.execute(
        "CREATE TABLE dim_agencies (agency_id VARCHAR, name VARCHAR, slug VARCHAR, "
        "level VARCHAR, parent_id VARCHAR, valid_from DATE, valid_to DATE, "
        "successor_id VARCHAR, is_province BOOLEAN, synthetic_row BOOLEAN)"
    )
    _insert(
        con,
        "dim_agencies",
        [
            dict(agency_id="P", name="Tỉnh Minh Họa", slug="tinh-minh-hoa", level="province",
                 parent_id=None, valid_from=None, valid_to=None, successor_id=None,
                 is_province=True, synthetic_row=False),
            dict(agency_id="A", name="Sở Tư pháp", slug="so-tu-phap", level="department",
                 parent_id="P", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2026, 3, 31),
                 successor_id="C", is_province=False, synthetic_row=False),
            dict(agency_id="B", name='=HYPERLINK("x")', slug="hyperlink-x", level="department",
                 parent_id="P", valid_from=None, valid_to=None, successor_id=None,
                 is_province=False, synthetic_row=False),
            dict(agency_id="C", name="Sở Tư pháp mới", slug="so-tu-phap-moi",
                 level="department", parent_id="P", valid_from=dt.date(2026, 4, 1),
                 valid_to=None, successor_id=None, is_province=False, synthetic_row=False),
        ],
    )  # fmt: skip

    con.execute(
        'CREATE TABLE quarantine ("table" VARCHAR, key VARCHAR, reason VARCHAR, '
        "source VARCHAR, line BIGINT)"
    )
    _insert(
        con,
        "quarantine",
        [
            dict(table="dossiers", key="HS-2", reason="thiếu ngày tiếp nhận", source="hs.csv",
                 line=3),
            dict(table="dossiers", key="=1+1", reason="mã trùng", source="hs.csv", line=2),
            dict(table="agencies", key=None, reason="dòng trống", source="dv.csv", line=9),
        ],
    )  # fmt: skip
    return con


def _insert(con, table, rows):
    cols = list(rows[0])
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    con.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [[r[c] for c in cols] for r in rows]
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con = make_db()
    out = tmp_path_factory.mktemp("site") / "du-lieu"
    infos = downloads.write_downloads(con, out, meta=META)
    docs = out.parent
    downloads.write_unit_csvs(con, docs)
    yield con, out, infos
    con.close()


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


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


def test_datapackage_validates_with_frictionless(built):
    _con, out, infos = built
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == "2026-04-01"
    assert descriptor["created"] == "2026-04-01T06:30:00+07:00"
    assert "giả lập" in descriptor["title"]
    assert [r["name"] for r in descriptor["resources"]] == list(SPEC_KEY_COLUMNS)
    apm = descriptor["resources"][0]
    fields = {f["name"]: f["type"] for f in apm["schema"]["fields"]}
    assert fields["received_new"] == "integer" and fields["on_time_pct"] == "number"
    assert fields["complete"] == "boolean" and fields["avg_days"] == "number"
    assert apm["schema"]["primaryKey"] == ["agency_id", "period", "period_type"]
    assert all(f["description"] for r in descriptor["resources"] for f in r["schema"]["fields"])
    agencies = descriptor["resources"][4]
    types = {f["name"]: f["type"] for f in agencies["schema"]["fields"]}
    assert types["valid_from"] == "date"
    assert "primaryKey" not in descriptor["resources"][5]["schema"]
    assert {i.name: i.rows for i in infos}["quarantine"] == 3


def test_dataset_info_for_the_page(built):
    _con, out, infos = built
    apm = infos[0]
    assert apm.title and apm.description and apm.row_text == "một đơn vị trong một kỳ"
    assert apm.rows == 5 and apm.update_frequency == "hằng ngày"
    assert [f.format for f in apm.files] == ["csv", "json", "parquet"]
    assert apm.file("csv").name == "agency_period_metrics.csv"
    assert apm.file("csv").bytes == (out / "agency_period_metrics.csv").stat().st_size
    col = apm.columns[0]
    assert (col.name, col.type) == ("agency_id", "string") and col.description
    assert [f.name for f in downloads.package_files(out)] == ["datapackage.json", ZIP]


ZIP = "minhbach-du-lieu.zip"


def test_zip_is_the_data_package_sorted_with_fixed_times(built):
    _con, out, infos = built
    with zipfile.ZipFile(out / ZIP) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        # The descriptor and the files it names (every table's CSV), nothing else.
        expected = sorted([f"{i.name}.csv" for i in infos] + ["datapackage.json"])
        assert names == expected
        descriptor = json.loads(zf.read("datapackage.json"))
        paths = sorted(r["path"] for r in descriptor["resources"])
        assert paths == [n for n in names if n != "datapackage.json"]
        assert {e.date_time for e in zf.infolist()} == {(2026, 4, 1, 6, 30, 0)}
        assert zf.read("agencies.csv") == (out / "agencies.csv").read_bytes()


def test_rebuild_gives_identical_bytes(built, tmp_path):
    _con, out, _infos = built
    con = make_db()
    again = tmp_path / "du-lieu"
    downloads.write_downloads(con, again, meta=META)
    downloads.write_unit_csvs(con, tmp_path)
    first = sorted(p.relative_to(out.parent) for p in out.parent.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (out.parent / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    # The connection's setting is left as it was.
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)


def test_unit_csv_at_the_slug_path(built):
    _con, out, _infos = built
    docs = out.parent
    path = docs / "co-quan" / "so-tu-phap" / "so-tu-phap.csv"
    header, *body = read_csv(path)
    keys = SPEC_KEY_COLUMNS["agency_period_metrics"]
    assert header[: len(keys)] == keys
    assert header[len(keys) :] == [
        "avg_days", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "total", "assessed_max",
        "total_100", "band", "rank", "rank_of", "official_total", "total_delta", "rule_set",
    ]  # fmt: skip
    rows = [dict(zip(header, r, strict=True)) for r in body]
    assert [r["period"] for r in rows] == ["2026", "2026-02", "2026-03"]
    assert {r["agency_id"] for r in rows} == {"A"}
    march = rows[2]
    assert march["total_100"] == "84.18" and march["band"] == "Tốt" and march["rank"] == "2"
    assert rows[0]["total_100"] == ""  # no score for that period
    hyper = read_csv(docs / "co-quan" / "hyperlink-x" / "hyperlink-x.csv")
    assert hyper[1][1] == '\'=HYPERLINK("x")'
    # A unit with no rows still has its file (the scorecard links to it).
    assert read_csv(docs / "co-quan" / "so-tu-phap-moi" / "so-tu-phap-moi.csv") == [header]
    assert (docs / "co-quan" / "tinh-minh-hoa" / "tinh-minh-hoa.csv").exists()


def test_missing_key_column_stops_the_build(tmp_path):
    con = make_db()
    con.execute("ALTER TABLE index_766 DROP COLUMN rate_pct")
    with pytest.raises(BuildError, match=r"index_766.*rate_pct"):
        downloads.write_downloads(con, tmp_path, meta=META)


def test_missing_table_stops_the_build(tmp_path):
    con = make_db()
    con.execute("DROP TABLE quarantine")
    with pytest.raises(BuildError, match="quarantine"):
        downloads.write_downloads(con, tmp_path, meta=META)
    with pytest.raises(BuildError, match="scores_766"):
        con.execute("DROP TABLE scores_766")
        downloads.write_unit_csvs(con, tmp_path)


def test_duplicate_primary_key_stops_the_build(tmp_path):
    con = make_db()
    con.execute("INSERT INTO dim_agencies (agency_id, name, slug) VALUES ('A', 'X', 'x')")
    with pytest.raises(BuildError, match="dim_agencies"):
        downloads.write_downloads(con, tmp_path, meta=META)


def test_unsafe_slug_stops_the_unit_csvs(tmp_path):
    con = make_db()
    con.execute("UPDATE dim_agencies SET slug = '../x' WHERE agency_id = 'B'")
    with pytest.raises(BuildError, match="slug"):
        downloads.write_unit_csvs(con, tmp_path)


@pytest.mark.parametrize(
    "value",
    [1e-05, 1.5e-07, -2.5e-10, 5e-324, 1e16, -1.2345678901234568e17, 1e300, 123.456, 0.001,
     0.00099, 999999999999999.9, 10.0, 0.0, -1.5, 2.5, 1 / 3],
)  # fmt: skip
def test_floats_are_written_without_exponent(value):
    con = duckdb.connect()
    sql = downloads._plain_number_sql("x")
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
    downloads.write_downloads(con, tmp_path, meta=META)
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
        downloads.write_downloads(con, tmp_path, meta=META)


def test_unit_csv_rows_match_the_download(built):
    _con, out, _infos = built
    header, *body = read_csv(out / "agency_period_metrics.csv")
    unit_header, *unit_body = read_csv(out.parent / "co-quan" / "so-tu-phap" / "so-tu-phap.csv")
    n = len(header)
    assert unit_header[:n] == header
    assert [r[:n] for r in unit_body] == [r for r in body if r[0] == "A"]
    for path in (out.parent / "co-quan").rglob("*.csv"):
        raw = path.read_bytes()
        again = io.StringIO(newline="")
        csv.writer(again, lineterminator="\r\n").writerows(read_csv(path))
        assert BOM + again.getvalue().encode() == raw, path


def test_empty_text_is_quoted_to_differ_from_null(tmp_path):
    con = make_db()
    con.execute("UPDATE agency_period_metrics SET level = '' WHERE agency_id = 'B'")
    downloads.write_downloads(con, tmp_path / "du-lieu", meta=META)
    downloads.write_unit_csvs(con, tmp_path)
    main = (tmp_path / "du-lieu" / "agency_period_metrics.csv").read_bytes()
    unit = (tmp_path / "co-quan" / "hyperlink-x" / "hyperlink-x.csv").read_bytes()
    for raw in (main, unit):
        assert b'\r\nB,"\'=HYPERLINK(""x"")","",2026-03,month,true,' in raw


# --------------------------------------------------------------------------------------------
# Big tables: CSV and JSON gzipped


@pytest.fixture(scope="module")
def gz_built(tmp_path_factory):
    """The same tables with a threshold that only the largest CSV exceeds."""
    con = make_db()
    plain = tmp_path_factory.mktemp("plain") / "du-lieu"
    plain_infos = downloads.write_downloads(con, plain, meta=META)
    sizes = {i.name: i.file("csv").bytes for i in plain_infos}
    big = max(sizes, key=sizes.get)
    over = max(v for k, v in sizes.items() if k != big)
    assert sizes[big] > over
    out = tmp_path_factory.mktemp("gz") / "du-lieu"
    infos = downloads.write_downloads(con, out, meta=META, compress_over=over)
    yield big, plain, out, infos
    con.close()


def test_big_table_is_published_gzipped(gz_built):
    big, plain, out, infos = gz_built
    info = {i.name: i for i in infos}[big]
    assert [f.name for f in info.files] == [f"{big}.csv.gz", f"{big}.json.gz", f"{big}.parquet"]
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
        for ext in ("csv", "json", "parquet"):
            assert (out / f"{name}.{ext}").read_bytes() == (plain / f"{name}.{ext}").read_bytes()


def test_gzipped_table_in_descriptor_and_zip(gz_built):
    big, _plain, out, infos = gz_built
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert rows[big] == {i.name: i.rows for i in infos}[big]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in descriptor["resources"]}
    assert res[big]["path"] == f"{big}.csv.gz"
    assert (res[big]["compression"], res[big]["format"]) == ("gz", "csv")
    assert sum("compression" in r for r in res.values()) == 1
    with zipfile.ZipFile(out / ZIP) as zf:
        entry = zf.getinfo(f"{big}.csv.gz")
        assert entry.compress_type == zipfile.ZIP_STORED
        assert zf.read(entry) == (out / f"{big}.csv.gz").read_bytes()
