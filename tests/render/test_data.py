"""The downloads page (du-lieu.md.j2)."""

from __future__ import annotations

import re

from minhbach.publish import datapackage, datasets

from .province import read


def test_downloads_page_lists_every_dataset(site):
    """Every download of a build with dossiers and no portal files: the portal's are left out."""
    _, docs, _, _ = site
    text = read(docs, "du-lieu/index.md")
    optional = datasets.optional_names()
    assert optional and set(optional) < set(datasets.published_names())
    for name in datasets.published_names():
        for ext in ("csv", "json", "parquet"):
            assert (f"({name}.{ext})" in text) is (name not in optional), name
    assert f"({datapackage.ZIP_NAME})" in text and f"({datapackage.DATAPACKAGE_NAME})" in text
    assert "CC-BY-4.0" in text and "qd766-v1" in text and "31/03/2026" in text


# --- the data dictionary of the other files (chart CSVs, unit CSVs, release snapshots) ---------


def _section(text: str, start: str, end: str | None = None) -> str:
    part = text.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_dictionary_describes_the_unit_csv_from_the_tables_contracts(site):
    _, docs, _, _ = site
    text = read(docs, "du-lieu/index.md")
    unit = _section(text, "{ #csv-don-vi }", "{ #csv-bieu-do }")
    # a column of agency_period_metrics, as its contract words it, and one of scores_766
    assert "<tr><td><code>on_time_pct</code></td><td>number</td><td>" in unit
    assert '<a href="#agency_period_metrics">agency_period_metrics</a></td></tr>' in unit
    total = next(line for line in unit.splitlines() if "<code>total_100</code>" in line)
    assert '<a href="#scores_766">scores_766</a>' in total
    assert "<code>slug</code>" not in unit  # names the file, never written
    assert f"{len(datasets.unit_csv().columns)} cột của tệp CSV của đơn vị" in unit


def test_dictionary_lists_every_chart_csv_with_its_columns(site):
    _, docs, _, recorder = site
    text = read(docs, "du-lieu/index.md")
    charts = _section(text, "{ #csv-bieu-do }", "{ #ban-chup }")
    drawn, folders = {}, {}
    for call in recorder.calls:
        for page_dir, figure in call:
            drawn.setdefault(figure.id, figure)
            where = page_dir.relative_to(docs).as_posix()
            folders.setdefault(figure.id, set()).add(
                f"{figure.id}.csv" if where == "." else f"{where}/{figure.id}.csv"
            )
    assert drawn
    for fid, figure in drawn.items():
        block = _section(charts, f"<summary><code>{fid}.csv</code>", "</details>")
        for col in figure.columns:
            assert f"<tr><td><code>{col.key}</code></td>" in block, (fid, col.key)
        # the example is one of the chart's files (written beside its page)
        (href,) = re.findall(r'<a href="\.\./([^"]+)">', block)
        assert href in folders[fid], href
        assert f"({len(folders[fid])} tệp" in block
    # the open-files chart of a unit page (fig_open_age): a label per bucket, a count each
    open_age = _section(charts, "<summary><code>ho-so-ton.csv</code>", "</details>")
    assert "trang của từng cơ quan, đơn vị" in open_age
    assert "<tr><td><code>bucket</code></td><td>Tình trạng</td><td>văn bản</td></tr>" in open_age
    assert "<td><code>dossiers</code></td><td>Số hồ sơ</td><td>số (đếm), số nguyên</td>" in open_age


def test_dictionary_describes_every_field_of_release_json(site):
    from minhbach.publish.releases.release import RELEASE_FIELDS, Release

    release = Release(
        date="2026-04-01", as_of="2026-03-31", build_time="2026-04-01T06:30:00+07:00",
        rule_set="qd766-v1", province_name="Tỉnh Thử", synthetic=True, tables={}, units=0,
        changes={},
    )  # fmt: skip
    assert [f for f, _ in RELEASE_FIELDS] == list(release.to_json())
    _, docs, _, _ = site
    snapshots = _section(read(docs, "du-lieu/index.md"), "{ #ban-chup }")
    for field, _meaning in RELEASE_FIELDS:
        assert f"<tr><td><code>{field}</code></td>" in snapshots
    assert "`lich-su/index.json`" in snapshots and "`lich-su/feed.xml`" in snapshots


def test_downloads_page_links_the_excel_copies(site):
    _, docs, _, _ = site
    text = read(docs, "du-lieu/index.md")
    optional = datasets.optional_names()
    for name in datasets.published_names():
        assert (f"({name}.xlsx)" in text) is (name not in optional), name
