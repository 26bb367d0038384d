"""Properties of the 06a and procedure figures on random small dossier sets (hypothesis).

For any data: every invariant check passes (the balance, the splits, rates within 0–100 and
empty exactly when their denominator is 0, unique keys, open-age buckets); the province row is
the sum of every unit's; the date-only figures (carried over, received, resolved, withdrawn,
refused, postal uses) equal a plain-Python recount from the generated rows; procedure rows add
up to the unit rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from conftest import rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_metrics_06a import COUNT_COLUMNS, RATE_COLUMNS, all_problems, build

AS_OF = datetime(2026, 3, 31, 23, 59)
START = datetime(2026, 1, 1)
UNITS = ("A", "B", "P")

RATE_DENOMINATORS = {
    "on_time_pct": lambda r: r["resolved"],
    "late_pct": lambda r: r["resolved"],
    "online_pct": lambda r: r["received_new"],
    "overdue_open_pct": lambda r: r["in_progress"] + r["waiting_applicant"],
    "satisfied_pct": lambda r: r["ratings"],
}


def ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


@st.composite
def datasets(draw) -> dict[str, list[dict]]:
    hours = st.integers(min_value=0, max_value=45 * 24)

    def at_most_as_of(t: datetime) -> datetime:
        return min(t, AS_OF)

    dossiers, supplements, ratings = [], [], []
    for i in range(draw(st.integers(min_value=1, max_value=25))):
        status = draw(st.integers(min_value=1, max_value=10))
        start = START + timedelta(minutes=draw(st.integers(0, 89 * 24 * 60)))
        row = {
            "dossier_id": f"d{i}",
            "agency_id": draw(st.sampled_from(UNITS)),
            "procedure_id": draw(st.sampled_from(["1.000001", "1.000002"])),
            "status": str(status),
            "channel": draw(st.sampled_from([None, "1", "2", "3"])),
            "return_method": draw(st.sampled_from([None, "0", "1"])),
        }
        end = at_most_as_of(start + timedelta(hours=draw(hours)))
        if status in (1, 3):
            # Not received: dated by submitted_at, or (status 3 only) by other timestamps.
            if status == 1 or draw(st.booleans()):
                row["submitted_at"] = ts(start)
            else:
                row["received_at"] = ts(start)
                row["finished_at"] = ts(end)
            dossiers.append(row)
            continue
        row["received_at"] = ts(start)
        row["due_at"] = ts(start + timedelta(hours=draw(hours)))
        if status in (7, 8, 9):
            row["finished_at"] = ts(end)
        elif status == 10:
            kind = draw(st.sampled_from(["finished", "returned", "both"]))
            if kind in ("finished", "both"):
                row["finished_at"] = ts(end)
            if kind in ("returned", "both"):
                row["returned_at"] = ts(at_most_as_of(end + timedelta(hours=draw(hours))))
        elif draw(st.integers(0, 4)) == 0:
            row["finished_at"] = ts(end)  # ignored: only statuses 7-10 have an end
        dossiers.append(row)
        asked = start
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            asked = asked + timedelta(hours=draw(st.integers(1, 20 * 24)))
            rnd = {"dossier_id": row["dossier_id"], "requested_at": ts(asked)}
            if draw(st.booleans()):
                asked = asked + timedelta(hours=draw(st.integers(0, 10 * 24)))
                rnd["supplied_at"] = ts(asked)
                if draw(st.booleans()):
                    rnd["new_due_at"] = ts(asked + timedelta(days=draw(st.integers(0, 15))))
            supplements.append(rnd)
        if draw(st.integers(0, 2)) == 0:
            ratings.append(
                {
                    "dossier_id": row["dossier_id"],
                    "rated_at": ts(START + timedelta(hours=draw(st.integers(0, 95 * 24)))),
                    "rating": str(draw(st.integers(1, 5))),
                }
            )
    return {"dossiers": dossiers, "supplements": supplements, "ratings": ratings}


def day(value: str | None) -> date | None:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").date() if value else None


def recount(tables: dict, first: date, last: date, units: set[str]) -> dict[str, int]:
    """The date-only figures of methodology §2, counted in plain Python."""
    got = dict.fromkeys(
        (
            "carried_over",
            "received_new",
            "received_online",
            "received_direct",
            "received_postal",
            "resolved",
            "withdrawn_stopped",
            "refused_at_intake",
            "postal_uses",
        ),
        0,
    )
    for d in tables["dossiers"]:
        if d["agency_id"] not in units:
            continue
        status = int(d["status"])
        returned = day(d.get("returned_at"))
        if d.get("return_method") == "1" and returned and first <= returned <= last:
            got["postal_uses"] += 1
        if status == 3:
            others = [day(d.get(k)) for k in ("received_at", "finished_at", "returned_at")]
            refused = day(d.get("submitted_at")) or max(x for x in others if x)
            got["refused_at_intake"] += first <= refused <= last
        if status in (1, 3):
            continue
        received = day(d["received_at"])
        end = None
        if status in (7, 8, 9, 10):
            end = day(d.get("finished_at")) or day(d.get("returned_at"))
        if received > last or (end is not None and end < first):
            continue
        if received < first:
            got["carried_over"] += 1
        else:
            got["received_new"] += 1
            channel = {"2": "received_online", "3": "received_postal"}.get(
                d["channel"], "received_direct"
            )
            got[channel] += 1
            got["postal_uses"] += d["channel"] == "3"
        if end is not None and end <= last:
            got["resolved" if status in (9, 10) else "withdrawn_stopped"] += 1
    return got


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(datasets(), st.booleans())
def test_invariants_hold_on_random_dossier_sets(tables, second_supplement_is_late):
    con = build(tables, second_supplement_is_late=second_supplement_is_late)
    assert all_problems(con) == []
    assert con.execute("select count(*) from quarantine").fetchone()[0] == 0

    metrics = rows(con, "select * from agency_period_metrics")
    by_key = {(r["agency_id"], r["period"]): r for r in metrics}
    for r in metrics:
        # The 06a balance and every rate, row by row (the checks say the same in SQL).
        assert r["to_handle"] == (
            r["resolved"] + r["withdrawn_stopped"] + r["waiting_applicant"] + r["in_progress"]
        )
        assert r["to_handle"] == r["carried_over"] + r["received_new"]
        for rate in RATE_COLUMNS:
            value, denominator = r[rate], RATE_DENOMINATORS[rate](r)
            assert (value is None) == (denominator == 0), (rate, r)
            assert value is None or 0 <= value <= 100, (rate, r)
        for count in COUNT_COLUMNS:
            assert isinstance(r[count], int) and r[count] >= 0, (count, r)

    periods = rows(con, "select period, first_day, last_day from dim_periods")
    province_has_own = any(d["agency_id"] == "P" for d in tables["dossiers"])
    for p in periods:
        province = by_key[("P", p["period"])]
        own = recount(tables, p["first_day"], p["last_day"], {"P"})
        # The province row adds up every unit's, its own dossiers included.
        for count in COUNT_COLUMNS:
            units = sum(by_key.get((u, p["period"]), {}).get(count, 0) for u in ("A", "B"))
            if count in own:
                assert province[count] == units + own[count], (count, p)
            elif province_has_own:
                assert province[count] >= units, (count, p)
            else:
                assert province[count] == units, (count, p)
        # Date-only figures equal a recount from the generated rows.
        expected = recount(tables, p["first_day"], p["last_day"], set(UNITS))
        assert {k: province[k] for k in expected} == expected, p["period"]
        for unit in ("A", "B"):
            if (unit, p["period"]) in by_key:
                expected = recount(tables, p["first_day"], p["last_day"], {unit})
                got = by_key[(unit, p["period"])]
                assert {k: got[k] for k in expected} == expected, (unit, p["period"])

    # Procedure rows add up to the unit rows: per unit (the province row counting everything)
    # and period, received_new, resolved and their on-time / late parts.
    sums = rows(
        con,
        "select agency_id, period, sum(received_new) as received_new, "
        "sum(resolved) as resolved, sum(resolved_on_time) as on_time, "
        "sum(resolved_late) as late, sum(received_online) as online "
        "from procedure_metrics group by all",
    )
    seen = set()
    for s in sums:
        m = by_key[(s["agency_id"], s["period"])]
        seen.add((s["agency_id"], s["period"]))
        assert (s["received_new"], s["resolved"], s["on_time"], s["late"], s["online"]) == (
            m["received_new"],
            m["resolved"],
            m["resolved_early"] + m["resolved_on_time"],
            m["resolved_late"],
            m["received_online"],
        )
    for key, m in by_key.items():
        if key not in seen:
            assert m["received_new"] == 0 and m["resolved"] == 0, key

    # The late procedures of a unit add up to its late and overdue dossiers.
    late = rows(
        con,
        "select agency_id, period, sum(resolved_late) as late, "
        "sum(in_progress_overdue) as overdue from agency_procedure_late group by all",
    )
    late_by_key = {(r["agency_id"], r["period"]): r for r in late}
    for key, m in by_key.items():
        got = late_by_key.get(key, {"late": 0, "overdue": 0})
        assert (got["late"], got["overdue"]) == (m["resolved_late"], m["in_progress_overdue"])
