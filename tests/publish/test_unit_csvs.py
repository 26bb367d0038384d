"""A unit's own CSV, /co-quan/<slug>/<slug>.csv: its rows and columns, under the download's
CSV rules."""

from __future__ import annotations

import csv
import io

import pytest

from minhbach.errors import BuildError

from .handmade import BOM, SPEC_KEY_COLUMNS, make_db, read_csv, write_units


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


def test_unsafe_slug_stops_the_unit_csvs(tmp_path):
    con = make_db()
    con.execute("UPDATE dim_agencies SET slug = '../x' WHERE agency_id = 'B'")
    with pytest.raises(BuildError, match="slug"):
        write_units(con, tmp_path)


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
