import datetime as dt
from decimal import Decimal

from minhbach import fmt


def test_vietnamese_number_formats():
    assert fmt.number(21969) == "21.969"
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(0) == "0"
    assert fmt.number(None) == "—"
    assert fmt.number(3.25, 1) == "3,3"  # half-up
    assert fmt.number(-1500) == "-1.500"
    # Whole numbers take a fast path: same rules.
    assert fmt.number(3, 2) == "3,00"
    assert fmt.number(-1234567, 1) == "-1.234.567,0"
    assert fmt.number(Decimal("1234.565"), 2) == "1.234,57"
    assert fmt.number(Decimal("-0.004"), 2) == "0,00"  # no "-0,00"
    assert fmt.number(Decimal("-1000.5")) == "-1.001"
    assert fmt.number(float("nan")) == "—"


def test_percent_and_change():
    assert fmt.percent(96.57) == "96,57%"
    assert fmt.percent(35.13) == "35,13%"
    assert fmt.percent(None) == "—"
    assert fmt.signed(1.5) == "+1,50"
    assert fmt.signed(-0.5) == "\u22120,50"


def test_dates_and_periods():
    assert fmt.date(dt.date(2026, 11, 5)) == "05/11/2026"
    assert fmt.period_label("2026-03") == "tháng 3/2026"
    assert fmt.period_label("2026-Q4") == "quý IV/2026"
    assert fmt.period_label("2025") == "năm 2025"
