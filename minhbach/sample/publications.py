"""Publication of procedures (group 1 of the 766 index): each month the province announces some
procedures (all of a merged department's on 1/3/2025, all local ones on 1/7/2025), which must be
published by a due date, then made public within five working days; some are late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from .calendar import DAY, Period, busday_offset, day_number
from .catalogue import PROVINCE, Catalogue
from .text import fmt_int, fmt_time, take
from .units import COMMUNE_DATE, MERGE_DATE, MERGERS


@dataclass
class Publications:
    """Every announcement drawn (day numbers; published/made only where pub_ok/made_ok)."""

    proc: np.ndarray
    due: np.ndarray
    published: np.ndarray
    pub_ok: np.ndarray
    public_due: np.ndarray
    made: np.ndarray
    made_ok: np.ndarray
    complete: np.ndarray


def draw_publications(seed: int, scale: str, cat: Catalogue, period: Period) -> Publications:
    """The announcements and what became of them (the same draws every call)."""
    rng = np.random.default_rng([seed, 3])
    proc, due = _announcements(rng, scale, cat, period)
    n = len(proc)
    late = rng.random(n) < 0.12
    published = np.where(late, due + rng.integers(1, 26, n), due - rng.integers(0, 8, n))
    pub_ok = published <= period.as_of_day
    public_due = busday_offset(published, 5)
    late2 = rng.random(n) < 0.1
    made = np.where(late2, public_due + rng.integers(1, 16, n), public_due - rng.integers(0, 5, n))
    made = np.maximum(made, published)
    made_ok = pub_ok & (made <= period.as_of_day)
    complete = rng.random(n) < 0.94
    return Publications(proc, due, published, pub_ok, public_due, made, made_ok, complete)


def publication_columns(seed: int, scale: str, cat: Catalogue, period: Period) -> list:
    """The procedure_publications table (PUBLICATION_COLUMNS), by due date then procedure."""
    p = draw_publications(seed, scale, cat, period)
    n = len(p.proc)
    o = np.lexsort((p.proc, p.due))
    return [
        [cat.units.ids[PROVINCE]] * n,
        take(cat.codes, p.proc[o]),
        _date(p.due[o], None),
        _date(p.published[o], p.pub_ok[o]),
        _date(p.public_due[o], p.pub_ok[o]),
        _date(p.made[o], p.made_ok[o]),
        fmt_int(p.complete[o].astype(np.int64), p.made_ok[o]),
    ]


def _date(days: np.ndarray, valid: np.ndarray | None) -> pa.Array:
    return fmt_time(days * DAY, valid, "date")


def _announcements(
    rng: np.random.Generator, scale: str, cat: Catalogue, period: Period
) -> tuple[np.ndarray, np.ndarray]:
    """The procedures to publish and their due days, month by month (fewer in the as-of
    month, which is not over)."""
    owners = cat.procs.owners
    rows_proc, rows_due = [], []
    per_month = 6 if scale == "sample" else 25
    for m in period.months:
        relisted = _relisted(m, owners)
        if m >= date(period.as_of.year, period.as_of.month, 1):
            nb = int(rng.poisson(per_month / 2))
        elif relisted:
            nb = 0
            rows_proc += relisted
            rows_due += [day_number(m) + int(rng.integers(0, 10)) for _ in relisted]
        else:
            nb = int(rng.poisson(per_month))
        if nb:
            pick = rng.choice(cat.n_procs, size=min(nb, cat.n_procs), replace=False)
            rows_proc += [int(x) for x in pick]
            rows_due += [day_number(m) + int(x) for x in rng.integers(0, 28, len(pick))]
    return np.array(rows_proc, np.int64), np.array(rows_due, np.int64)


def _relisted(month: date, owners: list[str]) -> list[int]:
    """Procedures announced again in the month of a restructuring: on 1/3/2025 everything of the
    merged departments, on 1/7/2025 every commune-level and district-level procedure."""
    if month == MERGE_DATE:
        return [j for j, o in enumerate(owners) if o in MERGERS or o in ("TC", "XD", "NV")]
    if month == COMMUNE_DATE:
        return [j for j, o in enumerate(owners) if o in ("COMM", "DIST")]
    return []
