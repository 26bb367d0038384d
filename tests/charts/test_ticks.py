"""The axes' ticks computed here: the months counted back from the latest, round values from
0 to the top, thinned like a Vega axis."""

from __future__ import annotations

import datetime as dt

from minhbach.charts.figure import narrow
from minhbach.charts.ticks import month_ticks, value_ticks, vega_ticks

from .figures import fig_days, fig_stacked, fig_trend


def test_vega_ticks_thins_like_a_vega_axis():
    assert vega_ticks(list(range(0, 16, 2)), 6) == [0, 4, 8, 12]
    assert vega_ticks(list(range(6)), 6) == list(range(6))
    assert vega_ticks(list(range(16)), 15) == list(range(0, 16, 2))
    assert vega_ticks(list(range(16)), 1) == [0, 15]  # the two ends
    assert vega_ticks([5], 1) == [5]


def test_month_ticks_end_at_the_latest_month():
    figure = fig_trend()
    ticks = month_ticks(figure)
    assert [label for _, label in ticks] == [
        "T3/2025",
        "T6/2025",
        "T9/2025",
        "T12/2025",
        "T3/2026",
        "T6/2026",
        "T9/2026",
        "T12/2026",
    ]
    latest = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert ticks[-1][0] == int(latest.timestamp()) * 1000


def test_value_ticks():
    trend = fig_trend()
    assert value_ticks(trend) == (
        100,
        [(0, "0%"), (20, "20%"), (40, "40%"), (60, "60%"), (80, "80%"), (100, "100%")],
    )
    stacked = fig_stacked()  # the largest stack: 1011 + 21969 + 5
    top, ticks = value_ticks(stacked)
    assert top == 25000 and ticks[1] == (5000, "5.000")
    days = fig_days()  # the rule (15) counts
    assert value_ticks(days)[0] == 15
    days.rows = [{"period": "2026-01", "median": 0.2, "p90": 0.35}]
    days.options = {**days.options, "rule": None}
    assert value_ticks(days) == (
        0.4,
        [(0, "0"), (0.1, "0,1"), (0.2, "0,2"), (0.3, "0,3"), (0.4, "0,4")],
    )
    days.rows = [{"period": "2026-01", "median": None, "p90": None}]
    assert value_ticks(days)[0] == 1  # nothing to show: still an axis


def test_the_narrow_layout_labels_about_four_months():
    # 24 months: every sixth, counted back from the latest (wide: every third).
    labels = [label for _, label in month_ticks(narrow(fig_trend()))]
    assert labels == ["T6/2025", "T12/2025", "T6/2026", "T12/2026"]
    # 12 months: every third.
    labels = [label for _, label in month_ticks(narrow(fig_stacked()))]
    assert labels == ["T3/2025", "T6/2025", "T9/2025", "T12/2025"]
