"""Whole builds, run as a user runs them: success, clear failures, and privacy."""

from __future__ import annotations

import csv
import io

import pytest
from buildkit import DOSSIER_HEADER, run_build, tree_digest, write_export


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("good")
    data = write_export(base / "data")
    out = base / "site"
    result = run_build(data, out, "--as-of", "2026-03-31")
    assert result.returncode == 0, result.stderr
    return data, out, result


def test_build_writes_home_and_data_quality_pages(good_site):
    _, out, _ = good_site
    assert (out / "index.html").exists()
    assert (out / "chat-luong-du-lieu" / "index.html").exists()
    assert "Tỉnh Thử Nghiệm" in (out / "index.html").read_text(encoding="utf-8")


def test_planted_personal_data_appears_nowhere(good_site):
    data, out, result = good_site
    planted = ["Bímật", "0900000007", "079100000007", "Nguyễn Văn"]
    printed = result.stdout + result.stderr
    for value in planted:
        assert value not in printed
    for path in out.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for value in planted:
                assert value.encode() not in blob, f"{value!r} found in {path}"


@pytest.mark.parametrize(
    "case",
    ["windows_1258", "missing_required_column", "empty_file"],
)
def test_bad_input_stops_with_one_line_and_keeps_the_old_site(good_site, tmp_path, case):
    _, good_out, _ = good_site
    out = tmp_path / "site"
    # An existing good site that must survive the failed build.
    data_ok = write_export(tmp_path / "ok")
    assert run_build(data_ok, out, "--as-of", "2026-03-31").returncode == 0
    before = tree_digest(out)

    data = write_export(tmp_path / "bad")
    target = data / "dossiers.csv"
    if case == "windows_1258":
        target.write_bytes(
            (DOSSIER_HEADER + "\nHS1,000.00.01.Z99,1.001193,1,4,20260301,20260305,,Đà\n").encode(
                "cp1258"
            )
        )
    elif case == "missing_required_column":
        target.write_text("MaHoSo,MaDonVi,TrangThaiHoSo\nHS1,000.00.01.Z99,4\n", encoding="utf-8")
    else:
        target.write_bytes(b"")
    result = run_build(data, out, "--quiet")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "dossiers.csv" in lines[0]
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before


def test_each_publication_keeps_a_dated_snapshot(tmp_path):
    data = write_export(tmp_path / "data")
    archive = tmp_path / "releases"
    out = tmp_path / "site"
    for epoch in ("1794900000", "1795000000"):  # 17/11/2026 and 18/11/2026, local time
        result = run_build(
            data, out, "--quiet", "--releases", str(archive), env={"SOURCE_DATE_EPOCH": epoch}
        )
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in archive.iterdir()) == [".verified", "2026-11-17", "2026-11-18"]
    for date in ("2026-11-17", "2026-11-18"):
        assert (out / "lich-su" / date / "scores_766.csv.gz").exists()
    page = (out / "lich-su" / "index.html").read_text(encoding="utf-8")
    assert "17/11/2026" in page and "18/11/2026" in page
    assert (out / "lich-su" / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 2


def test_national_portal_names_mixed_timestamps_and_utf16_build(tmp_path):
    rows = [
        "HS1,000.00.01.Z99,1.001193,2,10,20260302080000,2026-03-06 17:00,05/03/2026 10:00,A,1,1",
        "HS2,000.00.01.Z99,1.001193,1,4,2026-03-03T08:00:00+07:00,10/03/2026,,B,2,2",
        "HS3,000.00.02.Z99,1.000001,3,9,03/03/2026 09:15,20260320170000,2026-03-12,C,3,3",
    ]
    data = write_export(tmp_path / "data", dossiers=rows)
    text = (data / "dossiers.csv").read_text(encoding="utf-8")
    (data / "dossiers.csv").write_bytes(text.encode("utf-16"))  # with BOM, as Excel writes it
    out = tmp_path / "site"
    result = run_build(data, out, "--as-of", "2026-03-31", "--quiet")
    assert result.returncode == 0, result.stderr
    quarantine = (out / "du-lieu" / "quarantine.csv").read_bytes().decode("utf-8-sig")
    assert quarantine.count("\r\n") == 1  # header only: every row and timestamp was read
    metrics = (out / "du-lieu" / "agency_period_metrics.csv").read_bytes().decode("utf-8-sig")
    march = [
        r
        for r in csv.DictReader(io.StringIO(metrics))
        if r["agency_id"] == "000.00.00.Z99" and r["period"] == "2026-03"
    ][0]
    # 3 received in March: 1 online, 1 direct, 1 postal; 2 resolved, 1 in progress.
    got = [
        march[k]
        for k in (
            "received_new",
            "received_online",
            "received_direct",
            "received_postal",
            "resolved",
            "in_progress",
        )
    ]
    assert got == ["3", "1", "1", "1", "2", "1"]


def test_a_renamed_unit_keeps_its_old_address_as_a_redirect(tmp_path):
    archive, out = tmp_path / "releases", tmp_path / "site"
    data = write_export(tmp_path / "data")
    first = run_build(
        data, out, "--quiet", "--releases", str(archive), env={"SOURCE_DATE_EPOCH": "1794900000"}
    )
    assert first.returncode == 0, first.stderr
    agencies = data / "agencies.csv"
    agencies.write_text(
        agencies.read_text(encoding="utf-8").replace("Sở Y tế", "Sở Y tế và Dân số"),
        encoding="utf-8",
    )
    second = run_build(
        data, out, "--quiet", "--releases", str(archive), env={"SOURCE_DATE_EPOCH": "1795000000"}
    )
    assert second.returncode == 0, second.stderr
    assert (out / "co-quan" / "so-y-te-va-dan-so" / "index.html").exists()
    old = (out / "co-quan" / "so-y-te" / "index.html").read_text(encoding="utf-8")
    assert 'url=../so-y-te-va-dan-so/"' in old
    assert (out / "co-quan" / "so-y-te" / "so-y-te.csv").exists()


def test_failed_mkdocs_while_charts_are_drawn_keeps_the_old_site(good_site, tmp_path, monkeypatch):
    """mkdocs runs while the chart workers draw: when it fails, the build stops them, stops
    with the mkdocs error and leaves the existing site and no work folder behind."""
    import shutil
    import threading

    from minhbach import pipeline
    from minhbach.errors import BuildError
    from minhbach.publish import site

    data, good_out, _ = good_site
    out = tmp_path / "site"
    shutil.copytree(good_out, out)
    before = tree_digest(out)
    threads = threading.active_count()

    def broken(config_file):
        raise BuildError("mkdocs không dựng được trang: thử")

    monkeypatch.setattr(site, "mkdocs_build", broken)
    with pytest.raises(BuildError, match="mkdocs không dựng được trang"):
        pipeline.run(data=data, out=out, quiet=True, releases_dir=False)
    assert tree_digest(out) == before
    assert threading.active_count() == threads
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
