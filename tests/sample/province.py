"""The sample province these tests read (made once by the ``data`` fixture in conftest.py) and
how they read what the generator wrote: CSV rows as dicts of text."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

N = 3_000  # dossiers
SEED = 7
AS_OF = date(2026, 11, 15)  # the generator's default


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def dossiers(out: Path) -> list[dict[str, str]]:
    """Every month's dossier rows."""
    found = []
    for f in sorted((out / "dossiers").glob("*.csv")):
        found += rows(f)
    return found


def header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def ts(value: str) -> datetime | None:
    """A timestamp in any of the formats the generator writes; None when empty."""
    if not value:
        return None
    for fmt in ("%Y%m%d%H%M%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            pass
    return datetime.fromisoformat(value)


def tree(root: Path) -> dict[str, bytes]:
    """Every file below root: relative path -> bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
