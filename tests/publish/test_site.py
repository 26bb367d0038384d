"""The site build's housekeeping (minhbach.publish.site): the sweep of what killed builds left,
told apart from a live build's work folder, and the redirect pages of renamed units."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from minhbach.publish import site


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_sweep_tells_stale_litter_from_a_live_builds(tmp_path, monkeypatch):
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    monkeypatch.setattr(site, "BUILD_DIR", build_dir)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("cũ", encoding="utf-8")
    prefix = site.WORK_PREFIX

    live = site.WorkFolder(tmp_path)  # locked: this process is its build
    (live.path / "docs").mkdir()
    killed = tmp_path / f"{prefix}killed"  # a build's, killed: its owner file is free
    (killed / "docs").mkdir(parents=True)
    (killed / site.OWNER_FILE).write_text(f"{_dead_pid()}\n")
    starting = tmp_path / f"{prefix}starting"  # a build's this instant: not locked yet
    starting.mkdir()
    (starting / site.OWNER_FILE).write_text("")
    legacy = tmp_path / f"{prefix}legacy"  # an earlier version's: no owner file
    (legacy / "docs").mkdir(parents=True)
    _age(legacy, 2 * site.UNOWNED_GRACE)
    fresh = tmp_path / f"{prefix}fresh"  # the same, young: may be a live build's
    fresh.mkdir()
    old_dead = tmp_path / f".site.old-{_dead_pid()}"  # an earlier version's replaced site
    old_dead.mkdir()
    old_live = tmp_path / f".site.old-{os.getppid()}"
    old_live.mkdir()
    other_name = tmp_path / f".notes.old-{_dead_pid()}"  # not --out's: not ours to judge
    other_name.mkdir()

    def config(name: str, work: Path) -> Path:
        path = build_dir / f"mkdocs-{name}.yml"
        path.write_text(f"INHERIT: ../mkdocs.yml\ndocs_dir: {work / 'docs'}\n", encoding="utf-8")
        return path

    configs = {
        "live": config("1", live.path),
        "killed": config("2", killed),
        "gone": config("3", tmp_path / f"{prefix}gone"),
        "fresh": config("4", fresh),
    }
    site.clear_stale(out)

    kept = {live.path, starting, fresh, old_live, other_name, out}
    assert {p for p in tmp_path.iterdir() if p.name != "build"} == kept
    assert sorted(p.name for p in build_dir.iterdir()) == ["mkdocs-1.yml", "mkdocs-4.yml"]
    assert configs["live"].exists() and configs["fresh"].exists()
    live.remove()
    assert not live.path.exists()


def test_the_sweep_puts_back_a_site_taken_down_by_a_killed_publish(tmp_path, monkeypatch):
    """Killed between the two renames of publish: --out is missing, the old site is in the
    work folder; the next build's sweep puts it back."""
    monkeypatch.setattr(site, "BUILD_DIR", tmp_path / "build")
    out = tmp_path / "site"
    killed = tmp_path / f"{site.WORK_PREFIX}killed"
    (killed / site.NEW_SITE).mkdir(parents=True)
    (killed / site.REPLACED / "site").mkdir(parents=True)
    (killed / site.REPLACED / "site" / "index.html").write_text("cũ", encoding="utf-8")
    (killed / site.OWNER_FILE).write_text(f"{_dead_pid()}\n")
    site.clear_stale(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_redirects_keep_a_renamed_units_address_and_csv(tmp_path):
    new = tmp_path / "co-quan" / "so-y-te-va-dan-so"
    new.mkdir(parents=True)
    (new / "so-y-te-va-dan-so.csv").write_bytes(b"\xef\xbb\xbfagency_id\r\nB\r\n")
    site.write_redirects(tmp_path, {"so-y-te": "so-y-te-va-dan-so"})
    page = (tmp_path / "co-quan" / "so-y-te" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../so-y-te-va-dan-so/"' in page
    assert '<link rel="canonical" href="../so-y-te-va-dan-so/">' in page
    old_csv = tmp_path / "co-quan" / "so-y-te" / "so-y-te.csv"
    assert old_csv.read_bytes() == (new / "so-y-te-va-dan-so.csv").read_bytes()


def test_redirects_only_between_slugs_and_never_over_a_page(tmp_path):
    taken = tmp_path / "co-quan" / "so-tu-phap"
    taken.mkdir(parents=True)
    (taken / "index.html").write_text("trang thật", encoding="utf-8")
    site.write_redirects(
        tmp_path,
        {
            "so-tu-phap": "so-moi",  # a live unit's folder is never replaced
            "../x": "so-moi",  # a path
            "a": '"><script>alert(1)</script>',  # markup
            "Có-Dấu": "so-moi",  # not a slug
        },
    )
    assert (taken / "index.html").read_text(encoding="utf-8") == "trang thật"
    assert sorted(p.name for p in (tmp_path / "co-quan").iterdir()) == ["so-tu-phap"]
    assert not (tmp_path / "x").exists()
