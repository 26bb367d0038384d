"""Hand-made tables for the download tests, and the contracts that describe them.

The tables are the six published ones, small, with columns deliberately not in the published
order, internal columns (names starting with ``_``, ``points_exact``, ``rank_order``,
``synthetic_row``) and extra ones. Their contracts are the real ones (titles, descriptions,
keys, order) with the columns of the hand-made tables: the key columns of site.md first, in its
order, then the table's other columns in the table's order, the internal ones without a type.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb

from minhbach.buildinfo import BuildInfo
from minhbach.config import Settings
from minhbach.publish import columns as C
from minhbach.publish import datasets, downloads, unit_csvs
from minhbach.sql import contracts, runner, seeds
from minhbach.sql.contracts import Column as ContractColumn

ROOT = Path(__file__).resolve().parents[2]
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

BUILD = BuildInfo(
    province_name="Tỉnh Minh Họa",
    as_of=dt.date(2026, 3, 31),
    build_time=dt.datetime(2026, 4, 1, 6, 30, 0),
    rule_set="qd766-v1",
    synthetic=True,
    synthetic_note="",
    site_url="https://example.org/minhbach/",
)
INTERNAL = ("points_exact", "rank_order", "synthetic_row")
# The unit CSV's rows (as queries/pages/page_unit_csv.sql, over the hand-made tables' columns).
UNIT_CSV_VIEW = """
    CREATE VIEW page_unit_csv AS
    SELECT a.slug, m.*, s.CKMB, s.TDGQ, s.CLGQ, s.TTTT, s.MDSH, s.MDHL, s.total, s.assessed_max,
           s.total_100, s.band, s.rank, s.rank_of, s.official_total, s.total_delta, s.rule_set
    FROM agency_period_metrics AS m
    JOIN dim_agencies AS a ON a.agency_id = m.agency_id
    LEFT JOIN scores_766 AS s
      ON s.agency_id = m.agency_id AND s.period = m.period AND s.period_type = m.period_type
"""
ZIP = "minhbach-du-lieu.zip"


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
    runner.run_macros(con)
    seeds.load(con, contracts=contracts.find(ROOT / "queries"))
    con.execute(UNIT_CSV_VIEW)
    return con


def _insert(con, table, rows):
    cols = list(rows[0])
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    con.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [[r[c] for c in cols] for r in rows]
    )


def _contract_for(con, contract, keys: list[str]) -> contracts.Contract:
    """The real contract with the hand-made table's columns (see the module's docstring)."""
    try:
        table = {r[0]: r[1] for r in con.execute(f'DESCRIBE "{contract.table}"').fetchall()}
    except duckdb.CatalogException:  # a test dropped it
        table = {}
    real = {c.name: c for c in contract.columns}
    names = keys + [n for n in table if n not in keys]
    cols = []
    for name in names:
        internal = name.startswith("_") or name in INTERNAL
        kind = C.kind_of(table[name]) if name in table else None
        if internal:
            kind_type = None
        elif kind is not None:
            kind_type = C.SCHEMA_TYPES[kind]
        else:
            kind_type = real[name].type if name in real else "string"
        text = real[name].description if name in real else f"Cột {name} của bảng {contract.table}"
        cols.append(ContractColumn(name, kind_type, text, ()))
    return dataclasses.replace(contract, columns=tuple(cols), key=contract.key)


def hand_datasets(con) -> tuple[datasets.Dataset, ...]:
    """The datasets of the hand-made tables, as they are now (columns may have been changed)."""
    found = contracts.find(ROOT / "queries")
    mine = {
        t: _contract_for(con, c, SPEC_KEY_COLUMNS[c.publish.name])
        for t, c in found.items()
        if c.publish is not None and c.publish.requires_input is None  # not the portal's
    }
    return datasets.published(Settings(), con, mine)


def hand_unit_spec(con) -> datasets.Dataset:
    """The unit CSV of the hand-made tables: the real contract with the view's columns."""
    found = contracts.find(ROOT / "queries")[datasets.UNIT_CSV_TABLE]
    keys = ["slug", *SPEC_KEY_COLUMNS["agency_period_metrics"]]
    spec = _contract_for(con, found, keys)
    slug = ContractColumn("slug", None, "", ())
    return datasets.dataset(dataclasses.replace(spec, columns=(slug, *spec.columns[1:])), {})


def write(con, out: Path, **kw) -> list[downloads.DatasetInfo]:
    return downloads.write_downloads(con, out, build=BUILD, datasets=hand_datasets(con), **kw)


def write_units(con, docs: Path) -> None:
    unit_csvs.write_unit_csvs(con, docs, hand_unit_spec(con))


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
