"""The config file (minhbach.toml): every key is checked for its type, its range and the values
it may take; a mistake is one line naming the file and the key, exit code 2, before the build
touches anything."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from buildkit import ROOT, run_build, tree_digest, write_export

from minhbach.config import DEFAULT_CONFIG, Settings, known_rule_sets, load_settings
from minhbach.errors import InputError

AS_OF = ("--as-of", "2026-03-31")


def _config(tmp_path, text: str):
    path = tmp_path / "minhbach.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(tmp_path, text: str, key: str) -> str:
    """The problem load_settings names for this config, checked to be one line naming the file
    and the key."""
    path = _config(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: "), message
    return message.removeprefix(f"{path}: {key}: ")


def _bands(*bands: tuple[object, object]) -> str:
    return "".join(f"[[bands]]\nmin = {m}\nlabel = {label!r}\n" for m, label in bands)


# --------------------------------------------------------------------------------------------
# [rules] rule_set: one of the rule sets this version computes


def test_unknown_rule_set_is_refused(tmp_path):
    problem = _refused(tmp_path, '[rules]\nrule_set = "qd999-v7"\n', "[rules] rule_set")
    assert "qd999-v7" in problem and "qd766-v1" in problem


def test_empty_rule_set_is_refused(tmp_path):
    _refused(tmp_path, '[rules]\nrule_set = ""\n', "[rules] rule_set")


def test_rule_set_is_text(tmp_path):
    _refused(tmp_path, "[rules]\nrule_set = 766\n", "[rules] rule_set")


def test_known_rule_sets_hold_the_defaults():
    assert Settings().rule_set in known_rule_sets()
    shipped = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert shipped["rules"]["rule_set"] in known_rule_sets()


def test_a_known_rule_set_is_read(tmp_path):
    rule_set = known_rule_sets()[0]
    assert load_settings(_config(tmp_path, f'[rules]\nrule_set = "{rule_set}"\n')).rule_set == (
        rule_set
    )


# --------------------------------------------------------------------------------------------
# [rules] numbers


@pytest.mark.parametrize("value", ["-0.5", "100.5", "nan", '"5%"', "true"])
def test_max_quarantine_pct_is_a_percent(tmp_path, value):
    _refused(tmp_path, f"[rules]\nmax_quarantine_pct = {value}\n", "[rules] max_quarantine_pct")


@pytest.mark.parametrize("value", ["-1", "101", "inf"])
def test_official_score_tolerance_is_points_of_100(tmp_path, value):
    _refused(
        tmp_path,
        f"[rules]\nofficial_score_tolerance = {value}\n",
        "[rules] official_score_tolerance",
    )


@pytest.mark.parametrize("value", ['"no"', "0", "[]"])
def test_second_supplement_is_late_is_true_or_false(tmp_path, value):
    _refused(
        tmp_path,
        f"[rules]\nsecond_supplement_is_late = {value}\n",
        "[rules] second_supplement_is_late",
    )


# --------------------------------------------------------------------------------------------
# [province]


def test_province_name_of_spaces_is_refused(tmp_path):
    _refused(tmp_path, '[province]\nname = "   "\n', "[province] name")


def test_province_name_too_long_is_refused(tmp_path):
    _refused(tmp_path, f'[province]\nname = "{"Tỉnh" * 30}"\n', "[province] name")


def test_province_name_on_two_lines_is_refused(tmp_path):
    _refused(tmp_path, '[province]\nname = "Tỉnh\\nHai"\n', "[province] name")


def test_province_name_is_trimmed(tmp_path):
    assert load_settings(_config(tmp_path, '[province]\nname = " Tỉnh A "\n')).province_name == (
        "Tỉnh A"
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/",
        "file:///etc/",
        "javascript:alert(1)",
        "https://",
        "https://example.org/?a=1",
        "https://example.org/#top",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "example.org/minhbach/",
    ],
)
def test_site_url_is_a_plain_http_address(tmp_path, url):
    _refused(tmp_path, f'[province]\nsite_url = "{url}"\n', "[province] site_url")


@pytest.mark.parametrize("url", ["", "https://example.org/minhbach/", "http://localhost:8000/"])
def test_site_url_may_be_empty_or_http(tmp_path, url):
    assert load_settings(_config(tmp_path, f'[province]\nsite_url = "{url}"\n')).site_url == url


# --------------------------------------------------------------------------------------------
# [data]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("file:/etc", "file:"),
        ("file:///etc/passwd", "file:"),
        ("ftp://example.org/x.zip", "ftp:"),
        ("http://example.org/x.zip", "http:"),
        ("data:text/plain,abc", "data:"),
        ("s3://bucket/x.zip", "s3:"),
    ],
)
def test_data_source_with_another_scheme_is_refused(tmp_path, source, shown):
    problem = _refused(tmp_path, f'[data]\nsource = "{source}"\n', "[data] source")
    assert shown in problem and "https://" in problem


@pytest.mark.parametrize("source", ["", "   "])
def test_empty_data_source_is_refused(tmp_path, source):
    _refused(tmp_path, f'[data]\nsource = "{source}"\n', "[data] source")


@pytest.mark.parametrize("source", ["https://", "https://u:p@example.org/x.zip", "https:/x.zip"])
def test_data_source_address_must_name_a_host_and_no_login(tmp_path, source):
    _refused(tmp_path, f'[data]\nsource = "{source}"\n', "[data] source")


@pytest.mark.parametrize(
    "source",
    ["data/tinh", "/srv/xuat", "C:/xuat", "https://example.org/x.zip?sig=abc", "./a:b"],
)
def test_data_source_folder_or_https_is_read(tmp_path, source):
    assert load_settings(_config(tmp_path, f'[data]\nsource = "{source}"\n')).data_source == source


@pytest.mark.parametrize("value", ["0", "-1", "1001", '"10 GB"', "nan"])
def test_max_unpacked_gb_is_a_positive_size(tmp_path, value):
    _refused(tmp_path, f"[data]\nmax_unpacked_gb = {value}\n", "[data] max_unpacked_gb")


def test_max_unpacked_gb_is_read(tmp_path):
    assert load_settings(_config(tmp_path, "[data]\nmax_unpacked_gb = 0.5\n")).max_unpacked_gb == (
        0.5
    )


# --------------------------------------------------------------------------------------------
# [releases]


def test_releases_archive_is_a_folder_not_an_address(tmp_path):
    _refused(
        tmp_path, '[releases]\narchive = "https://example.org/lich-su/"\n', "[releases] archive"
    )


@pytest.mark.parametrize(
    "url", ["releases", "ftp://example.org/lich-su/", "https://example.org/lich-su/?x"]
)
def test_releases_source_is_an_http_address(tmp_path, url):
    _refused(tmp_path, f'[releases]\nsource = "{url}"\n', "[releases] source")


def test_releases_may_be_empty(tmp_path):
    settings = load_settings(_config(tmp_path, '[releases]\narchive = ""\nsource = ""\n'))
    assert (settings.releases_archive, settings.releases_source) == ("", "")


# --------------------------------------------------------------------------------------------
# [[bands]]


def test_bands_must_be_written_from_the_highest_down(tmp_path):
    problem = _refused(tmp_path, _bands((0, "Yếu"), (50, "Khá")), "bands[2].min")
    assert "cao xuống thấp" in problem


def test_bands_must_not_repeat_a_min(tmp_path):
    _refused(tmp_path, _bands((50, "A"), (50, "B"), (0, "C")), "bands[2].min")


def test_last_band_must_start_at_zero(tmp_path):
    problem = _refused(tmp_path, _bands((90, "A"), (10, "B")), "bands[2].min")
    assert "min = 0" in problem


def test_band_label_must_not_be_blank(tmp_path):
    _refused(tmp_path, _bands((50, "A"), (0, "  ")), "bands[2].label")


def test_band_label_must_be_short(tmp_path):
    _refused(tmp_path, _bands((0, "Rất rất rất rất rất rất tốt lắm")), "bands[1].label")


def test_band_labels_must_differ(tmp_path):
    _refused(tmp_path, _bands((50, "Khá"), (0, "Khá")), "bands[2].label")


def test_bands_are_at_most_ten(tmp_path):
    bands = [(100 - 9 * i, f"M{i}") for i in range(11)] + [(0, "Cuối")]
    _refused(tmp_path, _bands(*bands), "[[bands]]")


def test_band_with_an_unknown_key_is_refused(tmp_path):
    _refused(tmp_path, '[[bands]]\nmin = 0\nlabel = "A"\nmax = 100\n', "bands[1].max")


def test_bands_as_written_are_read_in_order(tmp_path):
    settings = load_settings(_config(tmp_path, _bands((75.5, " Cao "), (0, "Thấp"))))
    assert settings.bands == ((75.5, "Cao"), (0.0, "Thấp"))
    assert settings.band_for(75.5) == "Cao" and settings.band_for(75.4) == "Thấp"


# --------------------------------------------------------------------------------------------
# [portal]: collecting the national portal's published evaluation


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("provinces", '"H21"', "phải là danh sách"),
        ("provinces", '["H21", ""]', "trống"),
        ("provinces", '["  "]', "trống"),
        ("provinces", '["H210"]', "H và hai chữ số"),
        ("provinces", "[21]", "phải là chuỗi"),
        ("provinces", '["Gia\\nLai"]', "một dòng"),
        ("provinces", "[" + ", ".join(['"H21"'] * 64) + "]", "nhiều nhất 63"),
        ("periods", '["2026-13"]', "kỳ '2026-13' không hợp lệ"),
        ("periods", '["2026-Q5"]', "không hợp lệ"),
        ("periods", '["tháng trước"]', "current-year, current-quarter, last-quarter, last-month"),
        ("periods", "[2026]", "phải là chuỗi"),
        ("periods", '"2026"', "phải là danh sách"),
        ("endpoints", "[]", "(trống)"),
        ("endpoints", '["service-results", "ranking"]', "điểm truy cập không có: ranking"),
        ("folder", '"https://example.org/portal/"', "không phải địa chỉ web"),
        ("folder", "3", "phải là chuỗi"),
        ("pause_seconds", "0", "phải từ 1 đến 300 giây"),
        ("pause_seconds", "0.5", "phải từ 1 đến 300 giây"),
        ("pause_seconds", "301", "phải từ 1 đến 300 giây"),
        ("pause_seconds", '"2"', "phải là một số"),
        ("project_url", '"example.org"', "https://"),
        ("project_url", '"https://user:pw@example.org/"', "đăng nhập"),
    ],
)
def test_portal_values_are_checked(tmp_path, key, value, problem):
    assert problem in _refused(tmp_path, f"[portal]\n{key} = {value}\n", f"[portal] {key}")


def test_portal_unknown_key_is_refused(tmp_path):
    problem = _refused(tmp_path, "[portal]\nprovince = []\n", "[portal] province")
    assert "provinces, periods, endpoints, folder, pause_seconds, project_url" in problem


def test_collecting_needs_a_folder_of_its_own(tmp_path):
    """Provinces and periods named: the captures need a folder, apart from the export (make fetch
    replaces data/fetched/ whole) and from the bundled sample."""
    text = '[portal]\nprovinces = ["H21"]\nperiods = ["current-year"]\n'
    assert 'ví dụ "data/portal"' in _refused(tmp_path, text, "[portal] folder")
    settings = load_settings(_config(tmp_path, text + 'folder = "data/portal"\n'))
    assert settings.portal_fetching and settings.portal_folder == "data/portal"


def test_portal_values_are_read(tmp_path):
    text = (
        '[portal]\nprovinces = [" h21 ", "Gia  Lai"]\n'
        'periods = ["2026", "2026-Q3", "2026-09", "last-month"]\n'
        'endpoints = ["service-results", "transparency"]\nfolder = "data/portal"\n'
        'pause_seconds = 5\nproject_url = "https://minhbach.example/"\n'
    )
    settings = load_settings(_config(tmp_path, text))
    assert settings.portal_provinces == ("h21", "Gia Lai")
    assert settings.portal_periods == ("2026", "2026-Q3", "2026-09", "last-month")
    assert settings.portal_endpoints == ("service-results", "transparency")
    assert (settings.portal_folder, settings.portal_pause_seconds) == ("data/portal", 5.0)
    assert settings.portal_project_url == "https://minhbach.example/"


def test_portal_defaults_collect_nothing(tmp_path):
    settings = load_settings(_config(tmp_path, "[portal]\n"))
    assert not settings.portal_fetching
    assert settings.portal_endpoints == ("service-results",)  # what the reader knows
    only_periods = load_settings(_config(tmp_path, '[portal]\nperiods = ["2026"]\n'))
    assert not only_periods.portal_fetching


# --------------------------------------------------------------------------------------------
# Sections and keys


def test_unknown_section_is_refused(tmp_path):
    _refused(tmp_path, "[rulez]\nx = 1\n", "[rulez]")


def test_unknown_key_is_refused(tmp_path):
    problem = _refused(tmp_path, "[rules]\nmax_quarantin_pct = 9\n", "[rules] max_quarantin_pct")
    assert "max_quarantine_pct" in problem  # the keys it may be are listed


def test_key_outside_its_section_says_where_it_goes(tmp_path):
    problem = _refused(tmp_path, 'rule_set = "qd766-v1"\n', "rule_set")
    assert "[rules]" in problem


def test_section_that_is_a_value_is_refused(tmp_path):
    _refused(tmp_path, "rules = 5\n", "[rules]")


def test_the_shipped_config_gives_the_defaults(monkeypatch):
    """minhbach.toml and Settings agree: the file documents the defaults the code uses."""
    monkeypatch.delenv("MINHBACH_RELEASES_SOURCE", raising=False)  # the workflow's override
    monkeypatch.delenv("MINHBACH_SITE_URL", raising=False)
    assert load_settings(DEFAULT_CONFIG) == Settings(config_path=DEFAULT_CONFIG)


def test_no_placeholder_address_ships_and_the_workflow_passes_the_real_one(monkeypatch):
    monkeypatch.delenv("MINHBACH_SITE_URL", raising=False)
    assert load_settings(DEFAULT_CONFIG).site_url == ""
    monkeypatch.setenv("MINHBACH_SITE_URL", "https://so-noi-vu.github.io/minhbach")
    assert load_settings(DEFAULT_CONFIG).site_url == "https://so-noi-vu.github.io/minhbach/"


def test_a_bad_site_address_from_the_workflow_is_refused(monkeypatch):
    monkeypatch.setenv("MINHBACH_SITE_URL", "file:///etc/")
    with pytest.raises(InputError, match="^MINHBACH_SITE_URL: "):
        load_settings(DEFAULT_CONFIG)


# --------------------------------------------------------------------------------------------
# Whole build: a bad config stops it before anything is touched


@pytest.fixture(scope="module")
def old_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("old")
    out = base / "site"
    result = run_build(write_export(base / "data"), out, *AS_OF, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _fails_cleanly(result, old_site, before, config, key):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"lỗi: {config}: {key}: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_digest(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["data", "site"]  # no work folder


def test_unknown_rule_set_stops_the_build(tmp_path, old_site):
    before = tree_digest(old_site)
    config = _config(tmp_path, '[rules]\nrule_set = "qd999-v7"\n')
    data = write_export(tmp_path / "data")
    result = run_build(data, old_site, *AS_OF, "--quiet", "--config", str(config))
    _fails_cleanly(result, old_site, before, config, "[rules] rule_set")


def test_file_scheme_source_stops_the_build(tmp_path, old_site):
    """Without --data the build reads [data] source: file:/etc is refused, not read as a
    folder named "file:"."""
    before = tree_digest(old_site)
    config = _config(tmp_path, '[data]\nsource = "file:/etc"\n')
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(old_site), "--quiet"]
        + ["--releases", "none", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    _fails_cleanly(result, old_site, before, config, "[data] source")
    assert "file:" in result.stderr and "/work" not in result.stderr.replace(str(config), "")
