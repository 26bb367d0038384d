"""Working days, the period and the text of timestamps (minhbach.sample.calendar, .text)."""

from __future__ import annotations

from datetime import date

import numpy as np

from minhbach.sample.calendar import (
    DAY,
    HOUR,
    Period,
    add_months,
    busday_count,
    busday_offset,
    day_number,
    office_time,
)
from minhbach.sample.text import fmt_int, fmt_time, numbered


def _days(*isos: str) -> np.ndarray:
    return np.array([day_number(date.fromisoformat(d)) for d in isos])


def test_working_days_skip_weekends_and_tet():
    # Friday 13/2/2026 + 1 working day: the Tết holidays run 16-20/2, so Monday 23/2
    assert list(busday_offset(_days("2026-02-13"), 1)) == list(_days("2026-02-23"))
    # a Saturday rolls forward to Monday
    assert list(busday_offset(_days("2026-11-14"), 0)) == list(_days("2026-11-16"))
    assert list(busday_count(_days("2026-02-13"), _days("2026-02-23"))) == [1]


def test_office_hours():
    tod = office_time(np.random.default_rng(1), 10_000)
    morning = (tod >= 7 * HOUR + 1800) & (tod < 11 * HOUR + 1800)
    afternoon = (tod >= 13 * HOUR + 1800) & (tod < 17 * HOUR)
    assert np.all(morning | afternoon) and morning.any() and afternoon.any()


def test_the_period_ends_on_the_as_of_date():
    p = Period.ending(date(2026, 11, 15), 26)
    assert p.months[0] == date(2024, 10, 1) and p.months[-1] == date(2026, 11, 1)
    assert p.month_days[-1] == day_number(date(2026, 11, 16))
    assert p.as_of_end == day_number(date(2026, 11, 16)) * DAY - 1
    assert add_months(date(2024, 12, 31), 1) == date(2025, 1, 1)
    # Sunday 15/11/2026: the last two working days start on Thursday 12/11
    assert p.last_busdays(1) == day_number(date(2026, 11, 12))


def test_timestamp_styles():
    ts = np.array([day_number(date(2025, 3, 4)) * DAY + 13 * HOUR + 5 * 60 + 9])
    as_text = {s: fmt_time(ts, None, s).to_pylist()[0] for s in ("dvcqg", "vn", "vn_min", "iso")}
    assert as_text == {
        "dvcqg": "20250304130509",
        "vn": "04/03/2025 13:05:09",
        "vn_min": "04/03/2025 13:05",
        "iso": "2025-03-04 13:05:09",
    }
    assert fmt_time(ts, np.array([False]), "date").to_pylist() == [None]
    assert fmt_int(np.array([7, 8]), np.array([True, False])).to_pylist() == ["7", None]
    assert numbered("DG", np.array([42]), 8).to_pylist() == ["DG00000042"]
