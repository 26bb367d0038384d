"""The plan of a collection (minhbach.portal.plan) from config values: provinces, periods
(relative ones included, checked against today in Vietnam), endpoints, page size."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from minhbach.errors import InputError
from minhbach.portal import plan as portal_plan
from minhbach.portal.plan import Period, plan_from_config

from .replay import TODAY

# --------------------------------------------------------------------------------------------
# The plan from config values


def test_plan_from_config_values():
    plan = plan_from_config(
        [" h21 ", "Gia Lai", "H21"],
        ["2026", "2026-Q3", "2026-09", "2026-q3", "last-month", "current-quarter", "current-year"],
        today=TODAY,
    )
    assert plan.provinces == ("H21", "Gia Lai")
    assert plan.periods == (
        Period("year", 2026),
        Period("quarter", 2026, 3),
        Period("month", 2026, 9),
        Period("quarter", 2026, 4),
    )
    assert plan.endpoints == portal_plan.ENDPOINTS
    assert plan.page_size == portal_plan.PAGE_SIZE
    january = dt.date(2027, 1, 15)
    assert plan_from_config([], ["last-month", "last-quarter"], today=january).periods == (
        Period("month", 2026, 12),
        Period("quarter", 2026, 4),
    )


def test_period_days():
    assert Period("quarter", 2026, 1).date_fields() == {
        "fromDate": "2026-01-01",
        "toDate": "2026-03-31",
    }
    assert Period("month", 2028, 2).last_day == dt.date(2028, 2, 29)
    assert Period("year", 2026).last_day == dt.date(2026, 12, 31)
    assert [Period("month", 2026, 9).label, Period("quarter", 2026, 3).label] == [
        "2026-09",
        "2026-Q3",
    ]


@pytest.mark.parametrize(
    ("periods", "problem"),
    [
        (["2026-10"], "tháng 2026-10 chưa kết thúc"),
        (["2026-13"], "kỳ '2026-13' không hợp lệ"),
        (["2026-Q5"], "không hợp lệ"),
        (["26"], "không hợp lệ"),
        (["tháng trước"], "không hợp lệ"),
        (["2027"], "kỳ 2027 chưa bắt đầu"),
        (["2026-11"], "kỳ 2026-11 chưa bắt đầu"),
        ([], "chưa nêu kỳ nào"),
    ],
)
def test_plan_periods_refused(periods, problem):
    with pytest.raises(InputError, match=re.escape(problem)):
        plan_from_config(["H21"], periods, today=TODAY)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"provinces": [""]}, "trống"),
        ({"endpoints": ["service-results", "ranking"]}, "điểm truy cập không có: ranking"),
        ({"endpoints": []}, "(trống)"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_plan_values_refused(kwargs, problem):
    values = {"provinces": ["H21"], "periods": ["2026"], "today": TODAY, **kwargs}
    with pytest.raises(InputError, match=re.escape(problem)):
        plan_from_config(values.pop("provinces"), values.pop("periods"), **values)
