"""The working calendar: weekends, public holidays (roughly as decreed), Tết, office hours.

Dates are day numbers (days since 1970-01-01) and times are seconds since then, local time, so
that a month of dossiers is a few numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAY = 86_400
HOUR = 3_600

_HOLIDAYS = (
    "2023-01-02 2023-01-20 2023-01-23 2023-01-24 2023-01-25 2023-01-26 2023-04-28 2023-05-01"
    " 2023-05-02 2023-05-03 2023-09-01 2023-09-04"
    " 2024-01-01 2024-02-08 2024-02-09 2024-02-12 2024-02-13 2024-02-14 2024-04-18 2024-04-29"
    " 2024-04-30 2024-05-01 2024-09-02 2024-09-03"
    " 2025-01-01 2025-01-27 2025-01-28 2025-01-29 2025-01-30 2025-01-31 2025-04-07 2025-04-30"
    " 2025-05-01 2025-05-02 2025-09-01 2025-09-02"
    " 2026-01-01 2026-01-02 2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20 2026-04-27"
    " 2026-04-30 2026-05-01 2026-08-31 2026-09-01 2026-09-02"
    " 2027-01-01 2027-02-04 2027-02-05 2027-02-08 2027-02-09 2027-02-10 2027-04-16 2027-04-30"
    " 2027-05-03 2027-09-02 2027-09-03"
)
HOLIDAYS = np.array(_HOLIDAYS.split(), dtype="M8[D]")
TET = ("2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06")
WORKDAYS = np.busdaycalendar(weekmask="1111100", holidays=HOLIDAYS)


def day_number(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def add_months(d: date, months: int) -> date:
    """The first day of the month ``months`` after d's."""
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, 1)


def busday_offset(days: np.ndarray, offsets: np.ndarray | int) -> np.ndarray:
    """The working day ``offsets`` working days after each day (rolled forward to a working day)."""
    out = np.busday_offset(days.astype("M8[D]"), offsets, roll="forward", busdaycal=WORKDAYS)
    return out.astype(np.int64)


def busday_count(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    return np.busday_count(begin.astype("M8[D]"), end.astype("M8[D]"), busdaycal=WORKDAYS).astype(
        np.int64
    )


def office_time(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within office hours (7:30-11:30, 13:30-17:00)."""
    morning = rng.random(n) < 0.55
    return np.where(
        morning, 27_000 + rng.integers(0, 4 * HOUR, n), 48_600 + rng.integers(0, 12_600, n)
    ).astype(np.int64)


@dataclass(frozen=True)
class Period:
    """The months the data covers, up to the as-of date (the last day with events)."""

    as_of: date
    months: list[date]  # first day of each month
    month_days: np.ndarray  # day number of each month's first day, then of the as-of date + 1
    first_day: int
    as_of_day: int
    as_of_end: int  # the last second of the as-of date
    span: int  # days from the first day to the as-of date (at least 1)

    @classmethod
    def ending(cls, as_of: date, n_months: int) -> Period:
        start = add_months(date(as_of.year, as_of.month, 1), -(n_months - 1))
        months = [add_months(start, i) for i in range(n_months)]
        first_day, as_of_day = day_number(start), day_number(as_of)
        return cls(
            as_of=as_of,
            months=months,
            month_days=np.array([day_number(m) for m in months] + [as_of_day + 1]),
            first_day=first_day,
            as_of_day=as_of_day,
            as_of_end=(as_of_day + 1) * DAY - 1,
            span=max(1, as_of_day - first_day),
        )

    def last_busdays(self, k: int) -> int:
        """The first day of the last k + 1 working days up to the as-of date."""
        as_of = np.datetime64(self.as_of, "D")
        last = np.busday_offset(as_of, 0, roll="backward", busdaycal=WORKDAYS)
        return int(np.busday_offset(last, -k, busdaycal=WORKDAYS).astype(np.int64))
