"""The captures on the published site (minhbach.portal.published): the build publishes the capture
folder, every response checked against its request log; make fetch reads back the days the
folder lacks (the workflow's runner keeps nothing), each checked, from a local static server."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from publish.releases_kit import Server

from minhbach.errors import InputError
from minhbach.portal import fetch
from minhbach.portal.plan import plan_from_config
from minhbach.portal.published import SITE_FOLDER, publish_captures, restore

from .replay import NOW, TODAY, read_rows, run, tree


@pytest.fixture
def captures(portal, tmp_path):
    """A capture folder of two days (the second with the group endpoints' .raw/ responses)."""
    folder = tmp_path / "captures"
    one = plan_from_config(["H21"], ["2026"], endpoints=["service-results"], page_size=3)
    run(portal, folder, one, clock=lambda: NOW - dt.timedelta(days=1))
    two = plan_from_config(["H21"], ["2026-09"], page_size=5, today=TODAY)
    run(portal, folder, two)
    return folder


def _published(captures, tmp_path):
    site = tmp_path / "site"
    publish_captures(captures, site / SITE_FOLDER)
    return site


class Warnings(list):
    def __call__(self, line: str) -> None:
        self.append(line)


def test_the_published_captures_are_what_the_reader_reads(captures, tmp_path):
    site = _published(captures, tmp_path)
    published = tree(site / SITE_FOLDER)
    local = tree(captures)
    assert published == {p for p in local if ".raw" not in p}
    assert any(".raw/" in p for p in local)
    for path in published:
        if (captures / path).is_file():
            assert (site / SITE_FOLDER / path).read_bytes() == (captures / path).read_bytes()


def test_a_damaged_capture_is_not_published_again(captures, tmp_path):
    damaged = captures / "2026-10-09" / "H21" / "2026" / "service-results-page-2.json"
    damaged.write_bytes(damaged.read_bytes()[:-1] + b" ")  # the same size
    with pytest.raises(InputError) as caught:
        publish_captures(captures, tmp_path / "site")
    assert str(caught.value) == f"{damaged}: bản chụp bị hỏng (sha256 khác): không công bố lại"
    damaged.unlink()
    with pytest.raises(InputError, match="không có tệp"):
        publish_captures(captures, tmp_path / "site2")


def test_an_empty_folder_publishes_nothing(tmp_path):
    assert publish_captures(tmp_path / "none", tmp_path / "site") == []
    (tmp_path / "empty").mkdir()
    assert publish_captures(tmp_path / "empty", tmp_path / "site") == []
    assert not (tmp_path / "site").exists()


def test_the_days_the_folder_lacks_are_read_back(captures, tmp_path):
    site = _published(captures, tmp_path)
    folder = tmp_path / "runner"
    (folder / "2026-10-10").mkdir(parents=True)  # today's capture is already here: kept
    (folder / "2026-10-10" / "manifest.csv").write_text("file,captured_at,time_type,year,period\n")
    warnings = Warnings()
    with Server(site) as server:
        days = restore(server.url + SITE_FOLDER + "/", folder, warn=warnings)
    assert days == ["2026-10-09"] and warnings == []
    assert all(r.startswith("/" + SITE_FOLDER + "/") for r in server.requests)
    assert all(agent.startswith("minhbach/") for agent in server.agents)
    assert tree(folder / "2026-10-09") == tree(site / SITE_FOLDER / "2026-10-09")
    for path in tree(folder / "2026-10-09"):
        restored = folder / "2026-10-09" / path
        if restored.is_file():
            assert restored.read_bytes() == (captures / "2026-10-09" / path).read_bytes()
    index = read_rows(folder / "manifest.csv")
    assert {r["file"].split("/")[0] for r in index} == {"2026-10-09"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_nothing_published_yet_is_a_warning(tmp_path):
    (tmp_path / "site").mkdir()
    warnings = Warnings()
    with Server(tmp_path / "site") as server:
        assert restore(server.url + SITE_FOLDER + "/", tmp_path / "runner", warn=warnings) == []
    assert len(warnings) == 1 and "HTTP 404" in warnings[0]
    assert "chưa có bản chụp nào của cổng được công bố" in warnings[0]
    assert not (tmp_path / "runner").exists()


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda data: data + b" ", "1575 byte thay vì 1574"),
        (lambda data: data[:-1] + b" ", "sha256 khác"),
    ],
    ids=["size", "sha256"],
)
def test_a_published_file_that_differs_from_its_request_log_stops(
    captures, tmp_path, damage, problem
):
    site = _published(captures, tmp_path)
    damaged = site / SITE_FOLDER / "2026-10-09" / "national" / "2026" / "service-results.json"
    damaged.write_bytes(damage(damaged.read_bytes()))
    folder = tmp_path / "runner"
    with Server(site) as server, pytest.raises(InputError) as caught:
        restore(server.url + SITE_FOLDER, folder, warn=Warnings())
    message = str(caught.value)
    assert "2026-10-09/national/2026/service-results.json: tệp tải về khác với requests.csv" in (
        message
    )
    assert f"({problem})" in message
    assert "\n" not in message
    assert tree(folder) == set()  # no day half restored, nothing hidden left behind


@pytest.mark.parametrize(
    ("status", "problem"), [(500, "HTTP 500"), (403, "HTTP 403")], ids=["500", "403"]
)
def test_an_unreadable_published_site_stops(captures, tmp_path, status, problem):
    site = _published(captures, tmp_path)
    path = f"/{SITE_FOLDER}/2026-10-09/requests.csv"
    with Server(site, status={path: status}) as server, pytest.raises(InputError, match=problem):
        restore(server.url + SITE_FOLDER + "/", tmp_path / "runner", warn=Warnings())
    assert tree(tmp_path / "runner") == set()


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "2026-10-09/../x.json", "x.json", "2026-10-09"]
)
def test_a_published_index_naming_paths_out_of_a_day_stops(tmp_path, bad):
    site = tmp_path / "site" / SITE_FOLDER
    site.mkdir(parents=True)
    (site / "manifest.csv").write_text(f"file,captured_at,time_type,year,period\n{bad},,,,\n")
    with Server(tmp_path / "site") as server, pytest.raises(InputError, match="không hợp lệ"):
        restore(server.url + SITE_FOLDER + "/", tmp_path / "runner", warn=Warnings())
    assert not (tmp_path / "runner").exists()


def test_the_command_reads_back_into_the_configured_folder(captures, tmp_path, capsys):
    site = _published(captures, tmp_path)
    folder = tmp_path / "runner"
    config = tmp_path / "minhbach.toml"
    config.write_text(f'[portal]\nfolder = "{folder}"\n', encoding="utf-8")
    with Server(site) as server:
        url = server.url + SITE_FOLDER + "/"
        code = fetch.main(["--config", str(config), "--restore", url])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.splitlines()[-1] == f"đã đọc lại 2 ngày bản chụp của cổng vào {folder}"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-10-09", "2026-10-10", "manifest.csv"]
    # the workflow's runner kept nothing, and the site is unreadable: one line, exit code 2
    shutil.rmtree(folder)
    code = fetch.main(["--config", str(config), "--restore", url])  # the server is gone
    last = capsys.readouterr().err.splitlines()[-1]
    assert code == 2 and last.startswith("lỗi: " + url + "manifest.csv: không tải được")
    assert not folder.exists()
