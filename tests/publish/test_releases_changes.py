"""What changed between releases: the SQL of queries/releases/ declares what it reads, and the
old addresses of renamed units (former_slugs) follow the latest release."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from minhbach.publish import releases as R
from minhbach.publish.releases import changes
from minhbach.sql import runner

# The tables changes.py loads or makes on the releases' connection.
KNOWN = {
    "units_before",
    "units_after",
    "scores_before",
    "scores_after",
    "score_moves",
    "release_slugs",
    "current_slugs",
}
QUERIES = sorted(changes.RELEASE_QUERIES.glob("*.sql"))


def test_there_are_release_queries():
    assert {p.stem for p in QUERIES} >= {"units_changed", "score_moves", "former_slugs"}


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_each_release_query_declares_what_it_reads(path):
    step = runner.parse_file(path, "releases")
    assert step.sql.startswith("-- "), "a header says what one row is"
    assert step.reads, path.name
    assert step.reads <= KNOWN
    assert runner.mentioned_names(step.sql) & KNOWN == step.reads


def _release(folder: Path, date: str, slugs: dict[str, str]) -> R.Release:
    folder.mkdir(parents=True)
    lines = ["agency_id,slug"] + [f"{a},{s}" for a, s in slugs.items()]
    (folder / "agencies.csv.gz").write_bytes(gzip.compress(("\r\n".join(lines) + "\r\n").encode()))
    return R.Release(
        date=date,
        as_of=date,
        build_time=f"{date}T05:00:00+07:00",
        rule_set="qd766-v1",
        province_name="Tỉnh Thử",
        synthetic=False,
        tables={},
        units=len(slugs),
        changes={},
        path=folder,
    )


def test_former_slugs(tmp_path):
    first = _release(
        tmp_path / "1",
        "2026-01-01",
        {"A": "so-y-te", "B": "so-tu-phap", "C": "ten-chung", "D": "", "G": "don-vi-giai-the"},
    )
    second = _release(tmp_path / "2", "2026-02-01", {"A": "so-y-te-2", "E": "ten-chung"})
    now = {"A": "so-y-te-va-dan-so", "B": "so-tu-phap-moi", "C": "c-moi", "D": "d", "E": "e-moi"}
    now["F"] = "so-tu-phap"  # a unit uses that address now: never a redirect
    unsaved = R.Release(**{**vars(second), "date": "2026-03-01", "path": None})
    moved = R.former_slugs([first, second, unsaved], now)
    assert moved == {
        "so-y-te": "so-y-te-va-dan-so",
        "so-y-te-2": "so-y-te-va-dan-so",
        "ten-chung": "e-moi",  # the latest release says whose it was
    }
    assert list(moved) == sorted(moved)
    assert R.former_slugs([second, first], now)["ten-chung"] == "c-moi"
    assert R.former_slugs([], now) == {}
