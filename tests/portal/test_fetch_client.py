"""The polite client (minhbach.portal.client) through whole runs against the local replay
server: one retry after the retry pause, what counts as a failed request, the stop after too
many failures in a row (nothing left behind), the addresses refused, the User-Agent."""

from __future__ import annotations

import re

import pytest

from minhbach.errors import InputError
from minhbach.portal.client import default_user_agent
from minhbach.portal.collect import collect
from minhbach.portal.plan import plan_from_config

from .replay import API, NOW, TODAY, Sleeps, read_rows, run, tree

# --------------------------------------------------------------------------------------------
# Failures: one retry, skipping, the stop, nothing left behind


def test_a_failed_request_is_retried_once_after_the_retry_pause(portal, tmp_path):
    portal.faults = {2: "500"}
    report, sleeps, lines = run(portal, tmp_path)
    posts = portal.posts("service-results")
    assert posts[1]["body"] == posts[2]["body"]  # the same request again
    assert sleeps[:2] == [0.5, 7.0]
    assert lines[1] == (
        "#2 H21 2026 service-results trang 1: lỗi: máy chủ trả lời HTTP 500; thử lại sau 7 giây"
    )
    assert report.skipped == []
    assert (report.folder / "H21/2026/service-results-page-1.json").read_bytes() == portal.sent[3]
    failed = read_rows(report.folder / "requests.csv")[1]
    assert failed["status"] == "500" and failed["file"] == "" and "HTTP 500" in failed["error"]


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("not-ok", "code = 'ERROR' (Hệ thống bận)"),
        ("bad-json", "không phải JSON hợp lệ"),
        ("gzip", "phản hồi nén (gzip)"),
        ("redirect", "HTTP 302"),
        ("big", "lớn hơn 0.25 MB"),
    ],
)
def test_what_counts_as_a_failed_request(portal, tmp_path, kind, problem):
    portal.faults = {2: kind}
    report, _, lines = run(portal, tmp_path, max_bytes=256 * 1024)
    assert problem in lines[1]
    assert len(portal.posts()) == 1 + 1 + 3 * 7  # the retry, then every page as usual
    assert report.skipped == []
    assert all(r["path"].startswith(API) for r in portal.requests)  # no redirect followed


def test_a_timeout_is_a_failed_request(portal, tmp_path):
    portal.faults = {2: "slow"}
    report, _, lines = run(portal, tmp_path, timeout=0.3)
    assert "quá 0.3 giây" in lines[1]
    assert report.skipped == []


def test_the_run_stops_after_max_errors_failures_in_a_row(portal, tmp_path):
    out = tmp_path / "portal"
    earlier = out / "2026-10-09"
    earlier.mkdir(parents=True)
    (earlier / "manifest.csv").write_text("file,captured_at,time_type,year,period\n")
    today = out / "2026-10-10"  # the same day captured before: stays as it was
    today.mkdir()
    (today / "keep.json").write_text("{}")
    portal.faults = {2: "500", 3: "bad-json", 4: "500", 5: "500"}
    # 2 fails, 3 (its retry) fails: skipped; 4 (the next page) fails: third in a row
    with pytest.raises(InputError) as caught:
        run(portal, out, max_errors=3)
    message = str(caught.value)
    assert message.startswith("cổng dịch vụ công (127.0.0.1:")
    assert "3 yêu cầu lỗi liên tiếp" in message and "HTTP 500" in message
    assert "\n" not in message
    assert len(portal.posts()) == 4  # nothing after the stop
    assert tree(out) == {
        "2026-10-09",
        "2026-10-09/manifest.csv",
        "2026-10-10",
        "2026-10-10/keep.json",
    }


def test_a_lower_max_errors_stops_sooner_and_without_a_retry(portal, tmp_path):
    portal.faults = {2: "500"}
    with pytest.raises(InputError, match="1 yêu cầu lỗi liên tiếp"):
        run(portal, tmp_path, max_errors=1)
    assert len(portal.posts()) == 2
    assert tree(tmp_path) == set()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.org/api/", "phải bắt đầu bằng https://"),
        ("https://user:secret@example.org/api/", "tên đăng nhập"),
        ("ftp://127.0.0.1/", "phải bắt đầu bằng https://"),
        ("https:///api", "không hợp lệ"),
    ],
)
def test_base_urls_refused(tmp_path, url, problem):
    plan = plan_from_config([], ["2026"], today=TODAY)
    with pytest.raises(InputError, match=problem):
        collect(plan, tmp_path, base_url=url, sleep=Sleeps(), clock=lambda: NOW)
    assert tree(tmp_path) == set()


def test_the_default_user_agent_names_the_project_and_its_address():
    agent = default_user_agent("https://minhbach.example/")
    assert re.fullmatch(r"minhbach/\d+\.\d+\.\d+ \(\+https://minhbach\.example/\)", agent)
