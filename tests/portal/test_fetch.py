"""The command (python -m minhbach.portal.fetch, run by make fetch): from the command line or
from [portal] in the config, one line per request, one lỗi line and exit code 2 on failure."""

from __future__ import annotations

import datetime as dt

import pytest

from minhbach import __version__
from minhbach.errors import InputError
from minhbach.portal import fetch
from minhbach.portal.plan import plan_from_config

from .replay import GIA_LAI, NOW, Sleeps, tree

PROJECT = ("--project-url", "https://minhbach.example/")  # the shipped site_url is a placeholder


def test_a_month_is_taken_the_day_after_it_ended_in_vietnam(tmp_path, capsys):
    assert plan_from_config([], ["2026-09"], today=dt.date(2026, 10, 1)).periods
    with pytest.raises(InputError, match="chưa kết thúc"):
        plan_from_config([], ["2026-09"], today=dt.date(2026, 9, 30))
    # 17:30 UTC on 30 September is 00:30 on 1 October in Vietnam
    late = dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC)
    args = ["--period", "2026-09", "--base-url", "http://example.org/", "--out", str(tmp_path)]
    fetch.main(args, clock=lambda: late)
    assert "tháng" not in capsys.readouterr().err  # the plan passed; the address did not
    fetch.main(args, clock=lambda: late - dt.timedelta(hours=1))
    assert "tháng 2026-09 chưa kết thúc" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The command


def _main(portal, args, capsys, **options):
    options = {"sleep": Sleeps(), "clock": lambda: NOW, **options}
    try:
        code = fetch.main([*args, "--base-url", portal.base_url, *PROJECT], **options)
    except SystemExit as exc:  # argparse's errors (one lỗi line, as build.py)
        code = exc.code
    return code, capsys.readouterr()


def test_command_collects_and_prints_one_line_per_request(portal, tmp_path, capsys):
    args = ["--province", "H21", "--year", "2026", "--month", "9", "--out", str(tmp_path)]
    args += ["--endpoint", "service-results", "transparency", "--page-size", "5", "--pause", "0"]
    code, out = _main(portal, args, capsys)
    assert code == 0
    lines = out.err.splitlines()
    assert len(lines) == len(portal.posts()) + 1 == 1 + 2 + 2 + 1
    assert lines[0].startswith("#1 toàn quốc 2026-09 service-results: HTTP 200")
    assert lines[-1] == f"đã lưu 5 phản hồi (5 yêu cầu) vào {tmp_path / '2026-10-10'}"
    assert portal.posts()[0]["body"]["month"] == 9
    assert out.out == ""
    assert portal.problems == []


def test_command_failure_is_one_line_and_exit_2(portal, tmp_path, capsys):
    portal.faults = {n: "500" for n in range(1, 10)}
    code, out = _main(portal, ["--province", "H21", "--out", str(tmp_path)], capsys)
    assert code == 2
    last = out.err.splitlines()[-1]
    assert last.startswith("lỗi: cổng dịch vụ công (127.0.0.1:")
    assert "bảng xếp hạng toàn quốc 2026" in last
    assert "Traceback" not in out.err
    assert len(portal.posts()) == 2  # the national ranking and its one retry
    assert tree(tmp_path) == set()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--month", "10"], "tháng 2026-10 chưa kết thúc"),
        (["--quarter", "5"], "tham số dòng lệnh"),
        (["--province", "H99"], "không thấy tỉnh/thành phố 'H99'"),
        (["--pause", "-1"], "--pause"),
    ],
)
def test_command_bad_input(portal, tmp_path, capsys, args, problem):
    code, out = _main(portal, [*args, "--out", str(tmp_path)], capsys)
    assert code == 2
    assert out.err.count("\n") == 1 + (len(portal.posts()))  # request lines, then lỗi
    assert out.err.splitlines()[-1].startswith("lỗi: ") and problem in out.err
    assert tree(tmp_path) == set()


def test_command_refuses_plain_http_to_another_host(tmp_path, capsys):
    code = fetch.main(["--base-url", "http://example.org/", "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err == ("lỗi: --base-url: địa chỉ phải bắt đầu bằng https://\n")


# --------------------------------------------------------------------------------------------
# The command from [portal] in the config (what make fetch runs)


def _config(tmp_path, portal: str, province: str = "") -> str:
    path = tmp_path / "minhbach.toml"
    path.write_text(f"{province}[portal]\n{portal}", encoding="utf-8")
    return str(path)


def _configured(tmp_path, extra: str = "") -> str:
    folder = tmp_path / "captures"
    return _config(
        tmp_path,
        f'provinces = ["Gia Lai"]\nperiods = ["current-year", "last-month"]\n'
        f'folder = "{folder}"\nproject_url = "https://minhbach.example/tinh/"\n{extra}',
    )


def _from_config(portal, config: str, capsys, *args, **options):
    options = {"sleep": Sleeps(), "clock": lambda: NOW, **options}
    code = fetch.main(["--config", config, "--base-url", portal.base_url, *args], **options)
    return code, capsys.readouterr()


def test_nothing_is_collected_without_provinces_and_periods(portal, tmp_path, capsys):
    for portal_section in ("", 'periods = ["2026"]\n', 'provinces = ["H21"]\n'):
        code, out = _from_config(portal, _config(tmp_path, portal_section), capsys)
        assert code == 0, out.err
        assert "không lấy đánh giá của cổng" in out.out
    assert portal.requests == []
    assert tree(tmp_path) == {"minhbach.toml"}


def test_the_config_names_provinces_periods_folder_pause_and_address(portal, tmp_path, capsys):
    sleeps = Sleeps()
    config = _configured(tmp_path, "pause_seconds = 3.5\n")
    code, out = _from_config(portal, config, capsys, sleep=sleeps)
    assert code == 0, out.err
    assert portal.problems == []
    posts = portal.posts()
    # the national ranking, then one page of service-results only (the default endpoints), for
    # the year to date and September (the last month on 10 October)
    assert [(p["path"].rsplit("/", 1)[1], p["body"].get("month")) for p in posts] == [
        ("service-results", None),
        ("service-results", None),
        ("service-results", 9),
        ("service-results", 9),
    ]
    assert posts[1]["body"]["rootDepartmentId"] == GIA_LAI
    assert {p["headers"]["User-Agent"] for p in posts} == {
        f"minhbach/{__version__} (+https://minhbach.example/tinh/)"
    }
    assert sleeps == [3.5] * 3
    day = tmp_path / "captures" / "2026-10-10"
    assert (day / "H21" / "2026-09" / "service-results-page-1.json").is_file()
    assert not (day / ".raw").exists()
    assert out.err.splitlines()[-1] == f"đã lưu 4 phản hồi (4 yêu cầu) vào {day}"


def test_the_config_may_ask_for_the_group_endpoints(portal, tmp_path, capsys):
    config = _configured(tmp_path, 'endpoints = ["service-results", "transparency"]\n')
    code, out = _from_config(portal, config, capsys)
    assert code == 0, out.err
    day = tmp_path / "captures" / "2026-10-10"
    assert (day / ".raw" / "H21" / "2026-09" / "transparency-page-1.json").is_file()


@pytest.mark.parametrize(
    ("provinces", "periods", "key", "problem"),
    [
        ('["H21"]', '["2026-10"]', "periods", "tháng 2026-10 chưa kết thúc"),
        ('["H21"]', '["2026", "2027"]', "periods", "kỳ 2027 chưa bắt đầu"),
        ('["H21", "Hà Giang"]', '["2026"]', "provinces", "không thấy tỉnh/thành phố 'Hà Giang'"),
    ],
)
def test_a_config_value_refused_when_collecting_names_the_file_and_key(
    portal, tmp_path, capsys, provinces, periods, key, problem
):
    folder = tmp_path / "captures"
    config = _config(
        tmp_path,
        f'provinces = {provinces}\nperiods = {periods}\nfolder = "{folder}"\n'
        'project_url = "https://minhbach.example/"\n',
    )
    code, out = _from_config(portal, config, capsys)
    assert code == 2
    assert out.err.splitlines()[-1].startswith(f"lỗi: {config}: [portal] {key}: {problem}")
    assert "Traceback" not in out.err
    assert tree(folder) == set()


def test_the_user_agent_needs_the_address_of_the_project(portal, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    folder = tmp_path / "captures"
    portal_section = f'provinces = ["H21"]\nperiods = ["2026"]\nfolder = "{folder}"\n'
    # the shipped site_url is a placeholder: not an address to give the portal's operators
    config = _config(tmp_path, portal_section)
    code, out = _from_config(portal, config, capsys)
    assert code == 2 and portal.requests == []
    assert out.err == (
        f"lỗi: {config}: [portal] project_url: cần địa chỉ của dự án để ghi trong User-Agent gửi "
        "tới cổng (hoặc [province] site_url là địa chỉ thật của trang)\n"
    )
    # on GitHub Actions: the repository
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "tinh/minhbach")
    assert _from_config(portal, config, capsys)[0] == 0
    assert portal.posts()[0]["headers"]["User-Agent"].endswith(
        "(+https://github.com/tinh/minhbach)"
    )
    # the site's own address comes first
    site = '[province]\nsite_url = "https://minhbach.tinh.gov.vn/"\n'
    _from_config(portal, _config(tmp_path, portal_section, site), capsys)
    assert portal.posts()[-1]["headers"]["User-Agent"].endswith("(+https://minhbach.tinh.gov.vn/)")
