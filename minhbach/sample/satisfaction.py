"""What applicants say: ratings of resolved dossiers (1-5, lower when late) and feedback (PAKN:
complaints, mostly about late dossiers, answered on time or not, satisfied or not).

Both are drawn month by month from the month's dossiers, with a few rows tied to no dossier
(ratings at the desk, feedback about the service); the feedback table is written at the end,
since its answers run past the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import DAY, HOUR, Period, busday_offset, office_time
from .catalogue import Catalogue
from .dossiers import RESOLVED, Dossiers
from .people import Names
from .tables import RATING_COLUMNS
from .text import digits, fmt_int, fmt_time, join, numbered, take
from .writer import Sink

# Score distributions (1-5, cumulative) of dossiers resolved on time and late.
_GOOD = np.array([0.01, 0.02, 0.05, 0.22, 0.70]).cumsum()
_BAD = np.array([0.08, 0.12, 0.20, 0.25, 0.35]).cumsum()
_DESK = [0.03, 0.04, 0.1, 0.28, 0.55]  # ratings at the desk, tied to no dossier
# The month (index in the period) whose ratings include two that point at dossiers the data
# does not have, as real exports do.
_ORPHAN_MONTH = 5
_FEEDBACK_TEXT = (
    "đã quá hẹn trả kết quả nhưng chưa được giải quyết",
    "bị yêu cầu bổ sung giấy tờ nhiều lần, mỗi lần một yêu cầu khác",
    "cán bộ tiếp nhận hướng dẫn chưa rõ ràng",
    "nộp trực tuyến nhưng vẫn phải lên bộ phận một cửa nộp bản giấy",
    "không liên lạc được với cán bộ thụ lý để hỏi tiến độ",
    "thu phí không đúng với mức niêm yết",
    "kết quả trả về có sai sót thông tin",
)


@dataclass
class Ratings:
    """A month's ratings in time order."""

    dossier: pa.Array  # MaHoSo, null for a rating at the desk
    unit: np.ndarray
    ts: np.ndarray
    score: np.ndarray
    person: pa.Array


def month_ratings(
    s: Dossiers,
    ids: pa.Array,
    names: pa.Array,
    rng: np.random.Generator,
    cat: Catalogue,
    period: Period,
    event_days: np.ndarray,
) -> Ratings:
    """Ratings of the month's resolved dossiers (in file order ``s``) and a few at the desk on
    ``event_days`` (the month's days with dossiers)."""
    n, end = s.n, period.as_of_end
    resolved = np.isin(s.status, RESOLVED) & ~s.nochild
    base_ts = np.where(s.status == 10, s.ret, s.fin)
    rated = resolved & (rng.random(n) < cat.traits.rate[s.unit])
    rts = base_ts + (rng.random(n) * 3 * DAY).astype(np.int64)
    rsel = np.nonzero(rated & (rts <= end))[0]
    rr = rng.random(len(rsel))
    score = np.where(
        s.late_final[rsel],
        np.searchsorted(_BAD, rr, side="right"),
        np.searchsorted(_GOOD, rr, "right"),
    )
    score = np.minimum(score, 4) + 1
    nk = int(rng.poisson(max(0.5, len(rsel) * 0.006)))
    kd = rng.choice(event_days, nk) if nk else np.zeros(0, np.int64)
    ku = cat.active_units(rng, kd)
    kts = kd * DAY + office_time(rng, nk)
    ks = rng.choice(5, nk, p=_DESK) + 1
    r_ts = np.concatenate([rts[rsel], kts])
    order = np.lexsort((np.arange(len(r_ts)), r_ts))
    desk = pa.nulls(nk, pa.string())
    ratings = Ratings(
        dossier=pa.concat_arrays([ids.take(pa.array(rsel)), desk]).take(pa.array(order)),
        unit=np.concatenate([s.unit[rsel], ku])[order],
        ts=r_ts[order],
        score=np.concatenate([score, ks])[order],
        person=pa.concat_arrays([names.take(pa.array(rsel)), desk]).take(pa.array(order)),
    )
    if s.k == _ORPHAN_MONTH:
        ratings = _with_orphans(ratings, cat, period.month_days[s.k] * DAY)
    return ratings


def _with_orphans(r: Ratings, cat: Catalogue, month_start: int) -> Ratings:
    """Two more ratings (1 and 2), of a dossier the data does not have."""
    return Ratings(
        dossier=pa.concat_arrays(
            [r.dossier, pa.array([f"{cat.units.ids[1]}-990101-0001"] * 2, pa.string())]
        ),
        unit=np.concatenate([r.unit, [1, 1]]),
        ts=np.concatenate([r.ts, r.ts[-1:].repeat(2) if len(r.ts) else [month_start] * 2]),
        score=np.concatenate([r.score, [1, 2]]),
        person=pa.concat_arrays([r.person, pa.nulls(2, pa.string())]),
    )


class RatingsFile:
    """The ratings table, written month by month; rating ids DG00000001... run across months."""

    def __init__(self, path: Path, fmt: str, cat: Catalogue) -> None:
        self.sink = Sink(path, RATING_COLUMNS, fmt)
        self.cat = cat

    def write(self, r: Ratings) -> None:
        rid = numbered("DG", np.arange(len(r.ts)) + 1 + self.sink.rows, 8)
        self.sink.write(
            [
                rid,
                r.dossier,
                take(self.cat.unit_ids, r.unit),
                fmt_time(r.ts, None, "iso"),
                fmt_int(r.score),
                r.person,
            ]
        )

    def close(self) -> int:
        return self.sink.close()


@dataclass
class Feedback:
    """Feedback received in a month (its day may fall in the next), before the answers."""

    dossier: pa.Array  # MaHoSo, null for feedback about the service in general
    unit: np.ndarray
    day: np.ndarray
    late: np.ndarray  # about a late dossier
    person: pa.Array

    @classmethod
    def concat(cls, parts: list[Feedback]) -> Feedback:
        if not parts:
            empty = pa.array([], pa.string())
            return cls(
                empty, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool), empty
            )
        return cls(
            dossier=pa.concat_arrays([f.dossier for f in parts]),
            unit=np.concatenate([f.unit for f in parts]),
            day=np.concatenate([f.day for f in parts]),
            late=np.concatenate([f.late for f in parts]),
            person=pa.concat_arrays([f.person for f in parts]),
        )


def month_feedback(
    s: Dossiers,
    ids: pa.Array,
    names: pa.Array,
    rng: np.random.Generator,
    cat: Catalogue,
    people: Names,
    event_days: np.ndarray,
) -> Feedback:
    """Feedback about the month's dossiers (mostly late ones, after their due date) and a few
    about no dossier."""
    n = s.n
    received = s.received & ~s.nochild
    p_fb = (0.0015 + 0.02 * s.late_final) * cat.traits.fb[s.unit]
    fsel = np.nonzero(received & (rng.random(n) < p_fb))[0]
    fday = np.where(
        s.late_final[fsel],
        s.due_adj[fsel] // DAY + rng.integers(1, 16, len(fsel)),
        s.day[fsel] + rng.integers(1, 11, len(fsel)),
    )
    nf = int(rng.poisson(max(0.3, len(fsel) * 0.2)))
    fkd = rng.choice(event_days, nf) if nf else np.zeros(0, np.int64)
    return Feedback(
        dossier=pa.concat_arrays([ids.take(pa.array(fsel)), pa.nulls(nf, pa.string())]),
        unit=np.concatenate([s.unit[fsel], cat.active_units(rng, fkd)]),
        day=np.concatenate([fday, fkd + rng.integers(0, 5, nf)]),
        late=np.concatenate([s.late_final[fsel], np.zeros(nf, bool)]),
        person=pa.concat_arrays(
            [names.take(pa.array(fsel)), people.draw(rng, np.ones(nf, np.int64))]
        ),
    )


@dataclass
class Answered:
    """The feedback table's rows as numbers, in order of receipt (up to the as-of date)."""

    unit: np.ndarray
    rts: np.ndarray  # received (seconds)
    due_day: np.ndarray
    res: np.ndarray  # answered (seconds), meaningful where res_ok
    res_ok: np.ndarray
    sat: np.ndarray  # 1 satisfied, 0 not, -1 unknown
    topic: np.ndarray  # 0 procedure, 1 staff, 2 other
    columns: list[pa.Array]  # FEEDBACK_COLUMNS


def feedback_columns(
    parts: list[Feedback], seed: int, cat: Catalogue, period: Period
) -> list[pa.Array]:
    """The feedback table (FEEDBACK_COLUMNS) in order of receipt, up to the as-of date: due in
    ten working days, answered on time, late or not yet, and whether the person was satisfied."""
    return answer_feedback(parts, seed, cat, period).columns


def answer_feedback(parts: list[Feedback], seed: int, cat: Catalogue, period: Period) -> Answered:
    """The feedback table and its rows as numbers (the same draws every call)."""
    rng = np.random.default_rng([seed, 2])
    f = Feedback.concat(parts)
    day = busday_offset(f.day, 0)
    rts = day * DAY + rng.integers(7 * HOUR, 21 * HOUR, len(day))
    order = np.nonzero(rts <= period.as_of_end)[0]
    order = order[np.lexsort((order, rts[order]))]
    dossier, person = f.dossier.take(pa.array(order)), f.person.take(pa.array(order))
    unit, day, late, rts = f.unit[order], day[order], f.late[order], rts[order]
    n = len(order)
    due_day = busday_offset(day, 10)
    res, res_ok, sat = _answers(rng, cat, period, unit, day, due_day, rts)
    topic = np.where(
        dossier.is_null().to_numpy(zero_copy_only=False),
        rng.choice(3, n, p=[0.3, 0.4, 0.3]),
        rng.choice(3, n, p=[0.65, 0.22, 0.13]),
    )
    columns = [
        numbered("PAKN-", np.arange(1, n + 1), 6),
        take(cat.unit_ids, unit),
        dossier,
        fmt_time(rts, None, "vn_min"),
        fmt_time(due_day * DAY + 17 * HOUR, None, "vn_min"),
        fmt_time(res, res_ok, "vn_min"),
        fmt_int(np.maximum(sat, 0), sat >= 0),
        take(["procedure", "staff", "other"], topic),
        _text(rng, dossier, person, late),
    ]
    return Answered(unit, rts, due_day, res, res_ok, sat, topic, columns)


def _answers(
    rng: np.random.Generator,
    cat: Catalogue,
    period: Period,
    unit: np.ndarray,
    day: np.ndarray,
    due_day: np.ndarray,
    rts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """When each feedback was answered (late more often at units late with dossiers, a few not
    yet), whether that is known by the as-of date, and satisfaction: 1 yes, 0 no, -1 unknown."""
    n = len(day)
    r = rng.random(n)
    p_late = 0.1 + 0.5 * (cat.late_a[unit] + cat.late_b[unit])
    res_late = r < p_late
    unresolved = (r >= p_late) & (r < p_late + 0.06)
    res_day = np.where(
        res_late,
        busday_offset(due_day, rng.integers(1, 25, n)),
        busday_offset(day, np.floor(rng.random(n) * 11).astype(np.int64)),
    )
    res = res_day * DAY + office_time(rng, n)
    res = np.maximum(res, rts + 3600)
    res_ok = ~unresolved & (res <= period.as_of_end)
    on_time = res_ok & (res // DAY <= due_day)
    v = rng.random(n)
    sat = np.where(on_time, np.where(v < 0.65, 1, np.where(v < 0.78, 0, -1)), -1)
    sat = np.where(res_ok & ~on_time, np.where(v < 0.25, 1, np.where(v < 0.7, 0, -1)), sat)
    return res, res_ok, sat


def _text(rng: np.random.Generator, dossier: pa.Array, person: pa.Array, late: np.ndarray):
    """NoiDung: who writes, about which dossier, what, and a phone number (all invented)."""
    n = len(late)
    text_i = np.where(late, 0, rng.integers(1, len(_FEEDBACK_TEXT), n))
    return join(
        "Tôi là ",
        person,
        pc.if_else(
            dossier.is_null(),
            pa.scalar(", phản ánh: ", pa.string()),
            join(", hồ sơ số ", pc.fill_null(dossier, ""), " của tôi "),
        ),
        take(list(_FEEDBACK_TEXT), text_i),
        ". Số điện thoại liên hệ: 09",
        digits(rng, n, 8),
        ". Đề nghị cơ quan xem xét, trả lời.",
    )
