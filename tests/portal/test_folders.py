"""Where the portal's captures are: the folder make fetch saves them in and the build reads
(minhbach.portal.folders), and `make real`'s settings (real.toml) for the real captures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from minhbach.config import ROOT, Settings, load_settings
from minhbach.errors import InputError
from minhbach.portal import read_portal
from minhbach.portal.folders import capture_folder, input_folder

REAL_CONFIG = ROOT / "real.toml"


def test_without_a_folder_the_build_reads_the_data_folders_portal(tmp_path):
    settings = Settings()
    assert capture_folder(settings) is None
    assert input_folder(settings, tmp_path / "data") == tmp_path / "data" / "portal"
    # the bundled sample's own captures are synthetic like it
    assert input_folder(settings, tmp_path / "data", synthetic=True) == tmp_path / "data" / "portal"


def test_the_configured_folder_is_read_from_the_repository(tmp_path):
    settings = Settings(portal_folder="data/portal")
    assert capture_folder(settings) == ROOT / "data" / "portal"
    assert input_folder(settings, tmp_path) == ROOT / "data" / "portal"
    absolute = dataclasses.replace(settings, portal_folder=str(tmp_path / "cap"))
    assert input_folder(absolute, ROOT / "data" / "sample") == tmp_path / "cap"


def test_real_captures_never_join_a_synthetic_data_folder(tmp_path):
    settings = Settings(portal_folder="data/portal", config_path=tmp_path / "minhbach.toml")
    with pytest.raises(InputError) as caught:
        input_folder(settings, ROOT / "data" / "sample", synthetic=True)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'minhbach.toml'}: [portal] folder: dữ liệu ")
    assert "giả lập" in message and "\n" not in message


def test_make_real_builds_the_real_captures_into_a_folder_of_its_own():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nreal:", 1)[1].split("\n\n", 1)[0]
    assert "build.py --config real.toml --out site-real" in target
    assert "/site-real/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    settings = load_settings(REAL_CONFIG)
    assert settings.province_name == "" and settings.releases_archive == ""
    assert not settings.portal_fetching  # make real never contacts the portal
    data = ROOT / settings.data_source
    # no export tables (a README is passed over): the portal's figures alone
    assert sorted(p.name for p in data.iterdir()) == ["README.md", "portal-766"]
    assert input_folder(settings, data) == ROOT / "data" / "real" / "portal-766"


def test_the_real_captures_are_read_as_shipped():
    """What `make real` reads: the national ranking (its capture time from manifest.csv) and
    Gia Lai's 149 units, as the reader takes them (the build itself: see the report of the
    portal wiring: it needs a build from portal files alone)."""
    folder = input_folder(load_settings(REAL_CONFIG), ROOT / "data" / "real")
    con = duckdb.connect()
    read_portal(con, folder)
    shapes = dict(
        con.execute("select shape, count(*) from raw_portal_captures group by shape").fetchall()
    )
    assert shapes == {"national": 1, "units": 4, "details": 1}
    (provinces,) = con.execute(
        "select count(distinct portal_code) from raw_portal_scores where level = 'province'"
    ).fetchone()
    assert provinces == 34
    (units,) = con.execute(
        "select count(distinct portal_code) from raw_portal_scores "
        "where level in ('department', 'commune')"
    ).fetchone()
    assert units == 149


def test_the_real_captures_keep_their_provenance():
    readme = (ROOT / "data" / "real" / "portal-766" / "README.md").read_text(encoding="utf-8")
    assert "duynghiaqn/Crawler-766" in readme and "dichvucong.gov.vn" in readme
    assert Path(ROOT / "data" / "real" / "portal-766" / "manifest.csv").is_file()
