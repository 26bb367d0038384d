"""Dossiers: how many arrive each day, and the life of one month's dossiers, drawn with numpy.

A month's dossiers are columns of a ``Dossiers`` record (one entry per dossier, in draw order)
that each step fills in: intake (procedure, unit, channel, receipt), the due date, the outcome
(early, on time, late, still open), supplement rounds that pause the clock, the hand-over of the
result, the status at the as-of date, then the flags the 766 index counts (synced, digitised,
electronic result, VNeID, online payment). Every step draws from the month's generator in a
fixed order: reordering the draws changes every file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date

import numpy as np

from .calendar import (
    DAY,
    HOUR,
    TET,
    WORKDAYS,
    Period,
    busday_count,
    busday_offset,
    day_number,
    office_time,
)
from .catalogue import COMMUNE, DISTRICT, Catalogue

# Statuses (TrangThaiHoSo) of a dossier whose processing ended: 7 withdrawn by the applicant,
# 8 processing stopped, 9 processed, 10 result handed over (data contract).
ENDED = (7, 8, 9, 10)
RESOLVED = (9, 10)


def daily_counts(period: Period, n_total: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Every day of the period and how many dossiers arrive on it: working days only, growing
    over time, busier on Mondays and before Tết, quiet after it."""
    days = np.arange(period.first_day, period.as_of_day + 1, dtype=np.int64)
    dd = days.astype("M8[D]")
    bus = np.is_busday(dd, busdaycal=WORKDAYS)
    t = (days - period.first_day) / 365.25
    w = bus * (1.0 + 0.2 * t)
    dow = ((days + 3) % 7).astype(int)  # 0 = Monday
    w *= np.array([1.12, 1.0, 1.0, 0.98, 0.93, 0.0, 0.0])[dow]
    moy = dd.astype("M8[M]").astype(np.int64) % 12 + 1
    w *= np.array([0, 1.02, 0.92, 1.0, 1.0, 1.0, 1.02, 1.02, 1.0, 1.0, 1.0, 1.04, 1.1])[moy]
    for tet in TET:
        rel = days - day_number(date.fromisoformat(tet))
        w = np.where((rel >= -16) & (rel < -6), w * 1.25, w)
        w = np.where((rel >= -6) & (rel < 0), w * 0.85, w)
        w = np.where((rel >= 5) & (rel < 12), w * 0.55, w)
        w = np.where((rel >= 12) & (rel < 19), w * 0.85, w)
    rng = np.random.default_rng([seed, 0])
    counts = rng.multinomial(n_total, w / w.sum()) if w.sum() > 0 else w.astype(int)
    return days, counts


@dataclass
class Dossiers:
    """One month's dossiers as columns (numpy arrays, one entry per dossier). Times are seconds
    (local time), days are day numbers; the steps below fill in the fields in order."""

    k: int  # the month's index in the period
    epoch: int  # of the 2025 restructuring (catalogue.epoch)
    day: np.ndarray  # the day the dossier was received (or submitted, when never received)
    t: np.ndarray  # 0 at the start of the period, 1 at the as-of date
    # intake
    proc: np.ndarray = field(init=False)  # procedure index
    unit: np.ndarray = field(init=False)  # unit index
    channel: np.ndarray = field(init=False)  # 1 direct, 2 online, 3 postal
    online: np.ndarray = field(init=False)
    recv_tod: np.ndarray = field(init=False)  # time of day of receipt
    recv: np.ndarray = field(init=False)  # received (NgayTiepNhan)
    sub: np.ndarray = field(init=False)  # submitted (NgayNopHoSo)
    # the clock
    due_day: np.ndarray = field(init=False)
    due: np.ndarray = field(init=False)  # due (NgayHenTra)
    s_eff: np.ndarray = field(init=False)  # working days from receipt to the due day
    kk: np.ndarray = field(init=False)  # working days from receipt to the end of processing
    fin_day: np.ndarray = field(init=False)
    fin_tod: np.ndarray = field(init=False)
    fin: np.ndarray = field(init=False)  # processing ended (NgayKetThucXuLy)
    rounds: np.ndarray = field(init=False)  # supplement rounds, 0-2
    req: np.ndarray = field(init=False)  # (round, dossier): supplement requested
    sup: np.ndarray = field(init=False)  # (round, dossier): supplement received
    newdue: np.ndarray = field(init=False)  # (round, dossier): due date after the round
    by_post: np.ndarray = field(init=False)  # result sent by post
    ret: np.ndarray = field(init=False)  # result handed over (NgayTra)
    # status at the as-of date
    status: np.ndarray = field(init=False)  # TrangThaiHoSo
    fee: np.ndarray = field(init=False)
    open_round: np.ndarray = field(init=False)  # waiting for a supplement at the as-of date
    received: np.ndarray = field(init=False)  # accepted (not status 1 or 3)
    # flags
    fin_ok: np.ndarray = field(init=False)  # NgayKetThucXuLy is filled in
    ret_ok: np.ndarray = field(init=False)  # NgayTra is filled in
    rm_post: np.ndarray = field(init=False)  # HinhThuc
    synced: np.ndarray = field(init=False)
    digit: np.ndarray = field(init=False)
    reuse: np.ndarray = field(init=False)
    store: np.ndarray = field(init=False)
    resolved: np.ndarray = field(init=False)
    doc: np.ndarray = field(init=False)  # the result is a document
    eres: np.ndarray = field(init=False)  # electronic result
    app: np.ndarray = field(init=False)  # applicant type (LoaiDoiTuong)
    vneid: np.ndarray = field(init=False)
    paid: np.ndarray = field(init=False)  # 0 not paid online, 1 national portal, 2 a gateway
    due_adj: np.ndarray = field(init=False)  # due date after the supplement rounds
    late_final: np.ndarray = field(init=False)  # late against it (or two rounds)
    # deliberately bad rows (flaws.py): what stays valid, which rows repeat another
    proc_code: np.ndarray = field(init=False)  # procedure index, or negative: an unknown code
    sub_ok: np.ndarray = field(init=False)
    recv_ok: np.ndarray = field(init=False)
    due_ok: np.ndarray = field(init=False)
    nochild: np.ndarray = field(init=False)  # rows that must have no supplements, ratings...
    dup_of: np.ndarray = field(init=False)  # the row this one repeats, or -1

    @classmethod
    def start(
        cls, k: int, epoch: int, period: Period, days: np.ndarray, counts: np.ndarray
    ) -> Dossiers:
        """The month's dossiers: ``counts[i]`` of them arrive on ``days[i]``."""
        day = np.repeat(days, counts)
        return cls(k=k, epoch=epoch, day=day, t=(day - period.first_day) / period.span)

    @property
    def n(self) -> int:
        return len(self.day)

    def take(self, order: np.ndarray) -> Dossiers:
        """The same dossiers in another order."""
        out = copy.copy(self)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                setattr(out, f.name, value[..., order])
        return out


def draw_intake(d: Dossiers, rng: np.random.Generator, cat: Catalogue, month: date) -> None:
    """The procedure, the unit that handles it, the channel, receipt and submission times."""
    n = d.n
    cum = cat.mix[month.month]
    proc = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), cat.n_procs - 1)
    unit = cat.owner[d.epoch][proc].copy()
    for code in (DISTRICT, COMMUNE):
        sel = np.nonzero(unit == code)[0]
        pool, pcum = cat.pools[d.epoch][code]
        pick = np.searchsorted(pcum, rng.random(len(sel)) * pcum[-1], side="right")
        unit[sel] = pool[np.minimum(pick, len(pool) - 1)]
    d.proc, d.unit = proc, unit

    lvl = cat.procs.level[proc]
    t = d.t
    base = np.where(lvl == 4, 0.30 + 0.45 * t, np.where(lvl == 3, 0.12 + 0.33 * t, 0.0))
    p_on = np.clip(base * cat.online[unit], 0, 0.95)
    r = rng.random(n)
    d.channel = np.where(r < p_on, 2, np.where(r < p_on + 0.02, 3, 1))
    d.online = d.channel == 2

    d.recv_tod = office_time(rng, n)
    d.recv = d.day * DAY + d.recv_tod
    lag = np.where(
        d.online,
        np.clip(rng.exponential(20 * HOUR, n), 300, 7 * DAY),
        np.where(d.channel == 3, rng.integers(1, 4, n) * DAY, rng.integers(0, 1200, n)),
    ).astype(np.int64)
    d.sub = d.recv - lag


def set_due_dates(d: Dossiers, cat: Catalogue) -> None:
    """Due: the statutory working days after receipt ("trong ngày": 17:00 the same day when
    received before 15:00, else the next working day)."""
    sdays = cat.procs.days[d.proc]
    half = sdays < 1
    due_day = busday_offset(d.day, np.ceil(sdays).astype(np.int64))
    d.due_day = np.where(half & (d.recv_tod < 15 * HOUR), d.day, due_day)
    due_tod = np.where(half, 17 * HOUR, d.recv_tod)
    d.due = d.due_day * DAY + due_tod
    d.s_eff = busday_count(d.day, d.due_day)


def draw_outcomes(d: Dossiers, rng: np.random.Generator, cat: Catalogue) -> None:
    """Early, on the due date or late (by the unit's lateness trend and the procedure's), and
    when processing ended; a few late dossiers are still open at the as-of date."""
    n, unit, t = d.n, d.unit, d.t
    late_p = cat.late_a[unit] + (cat.late_b[unit] - cat.late_a[unit]) * t
    late_p = np.clip(late_p * cat.procs.late_f[d.proc], 0, 0.9)
    late = rng.random(n) < late_p
    k_ok = np.floor(rng.random(n) ** 1.6 * d.s_eff).astype(np.int64)
    k_ok = np.where(rng.random(n) < 0.12, d.s_eff, k_ok)
    over = np.floor(rng.exponential(2.0 + 12 * late_p)).astype(np.int64)
    tail = rng.random(n) < 0.05 * (late_p > 0.2)
    over = over + tail * rng.integers(15, 160, n)
    stuck = late & (rng.random(n) < 0.12 * late_p)  # still open at the as-of date
    over = np.where(stuck, 5_000, over)
    d.kk = np.where(late, d.s_eff + 1 + over, k_ok)
    d.fin_day = busday_offset(d.day, d.kk)
    fin_tod = office_time(rng, n)
    same = d.fin_day == d.day
    recv_tod = d.recv_tod
    d.fin_tod = np.where(
        same,
        recv_tod + 900 + (rng.random(n) * np.maximum(900, 62_000 - recv_tod)).astype(np.int64),
        fin_tod,
    )


def draw_supplement_rounds(d: Dossiers, rng: np.random.Generator, cat: Catalogue) -> None:
    """Up to two supplement requests; each pauses the clock: the due date and the end of
    processing move by the pause."""
    n = d.n
    p_s = np.clip(0.12 * cat.procs.supp_f[d.proc] * cat.traits.supp[d.unit], 0, 0.6)
    rounds = (rng.random(n) < p_s).astype(np.int64)
    rounds += (rounds == 1) & (rng.random(n) < 0.12)
    d.rounds = rounds
    d.req = np.zeros((2, n), np.int64)
    d.sup = np.zeros((2, n), np.int64)
    d.newdue = np.zeros((2, n), np.int64)
    i1 = np.nonzero(rounds >= 1)[0]
    if len(i1):
        _first_round(d, rng, i1)
        i2 = i1[rounds[i1] == 2]
        if len(i2):
            _second_round(d, rng, i2)
    d.fin_tod = np.minimum(d.fin_tod, DAY - 1)
    d.fin = d.fin_day * DAY + d.fin_tod


def _first_round(d: Dossiers, rng: np.random.Generator, i1: np.ndarray) -> None:
    """Requested on one of the working days before processing ended; received within 45 days."""
    r1 = np.floor(rng.random(len(i1)) * d.kk[i1]).astype(np.int64)
    rq_day = busday_offset(d.day[i1], r1)
    rq_tod = _request_time(rng, r1, d.recv_tod[i1], 3)
    rq = rq_day * DAY + rq_tod
    fd, ft = _supplement(d, rng, i1, 0, rq, rq_day, 1 / 6, 45)
    ft = np.where(fd == rq_day, np.maximum(ft, rq_tod + 600), ft)
    d.fin_day[i1], d.fin_tod[i1] = fd, ft


def _second_round(d: Dossiers, rng: np.random.Generator, i2: np.ndarray) -> None:
    """Requested after the first supplement arrived, before processing ended; received within
    30 days."""
    s1 = d.sup[0, i2]
    s1_day = s1 // DAY
    c = busday_count(s1_day, d.fin_day[i2])
    r2 = np.floor(rng.random(len(i2)) * (c + 1)).astype(np.int64)
    rq = busday_offset(s1_day, r2) * DAY + _request_time(rng, r2, s1 % DAY, 2)
    fts = d.fin_day[i2] * DAY + d.fin_tod[i2]
    rq = np.where(rq >= fts, s1 + (fts - s1) // 2, rq)
    d.fin_day[i2], d.fin_tod[i2] = _supplement(d, rng, i2, 1, rq, rq // DAY, 1 / 5, 30)


def _request_time(
    rng: np.random.Generator, offset: np.ndarray, tod: np.ndarray, hours: int
) -> np.ndarray:
    """Time of day of a request: within ``hours`` after ``tod`` on the same day (offset 0),
    else during office hours."""
    n = len(offset)
    return np.where(offset == 0, tod + rng.integers(600, hours * HOUR, n), office_time(rng, n))


def _supplement(
    d: Dossiers,
    rng: np.random.Generator,
    idx: np.ndarray,
    rnd: int,
    rq: np.ndarray,
    rq_day: np.ndarray,
    p: float,
    cap: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Round ``rnd`` of dossiers idx, requested at rq: the supplement arrives after a number of
    days (geometric with p, at most cap); the due date and the end of processing move by the
    pause. Returns the new end of processing (day, time of day)."""
    gap = np.minimum(1 + rng.geometric(p, len(idx)), cap)
    sp_day = busday_offset(rq_day + gap, 0)
    sp = sp_day * DAY + office_time(rng, len(idx))
    d.req[rnd, idx], d.sup[rnd, idx] = rq, sp
    due = d.due[idx] if rnd == 0 else d.newdue[rnd - 1, idx]
    d.newdue[rnd, idx] = due + (sp - rq)
    fd = busday_offset(d.fin_day[idx], busday_count(rq_day, sp_day))
    ft = np.where(fd == sp_day, np.maximum(d.fin_tod[idx], sp % DAY + 600), d.fin_tod[idx])
    return fd, ft


def draw_hand_over(d: Dossiers, rng: np.random.Generator) -> None:
    """When the result was handed over at the desk or sent by post."""
    n, fin_day, fin_tod = d.n, d.fin_day, d.fin_tod
    d.by_post = ((d.channel == 3) & (rng.random(n) < 0.85)) | (rng.random(n) < 0.03 + 0.05 * d.t)
    ret_gap = np.where(
        d.by_post, rng.integers(1, 4, n), np.floor(rng.exponential(1.2, n)).astype(np.int64)
    )
    ret_day = busday_offset(fin_day, ret_gap)
    ret_tod = office_time(rng, n)
    ret_tod = np.where(
        ret_day == fin_day, np.maximum(ret_tod, np.minimum(fin_tod + 600, DAY - 1)), ret_tod
    )
    d.ret = ret_day * DAY + np.minimum(ret_tod, DAY - 1)


def draw_status(d: Dossiers, rng: np.random.Generator, cat: Catalogue, period: Period) -> None:
    """TrangThaiHoSo at the as-of date: ended (7-10), supplement requested (5), waiting for a
    financial obligation (6), accepted (2), in process (4); online registrations not yet
    accepted (1) or refused at intake (3), which have no receipt."""
    n, end = d.n, period.as_of_end
    ended = d.fin <= end
    u = rng.random(n)
    st7 = ended & (u < 0.018)
    st8 = ended & (u >= 0.018) & (u < 0.03)
    resolved = ended & ~st7 & ~st8
    handed = resolved & (d.ret <= end) & ((rng.random(n) < 0.62) | d.by_post)
    status = np.full(n, 4, dtype=np.int64)
    status[resolved] = 9
    status[handed] = 10
    status[st7] = 7
    status[st8] = 8
    is_open = ~ended
    open_round = np.zeros(n, bool)
    for i in range(2):
        open_round |= (d.rounds > i) & (d.req[i] <= end) & (d.sup[i] > end)
    d.fee = cat.procs.fee[d.proc]
    status[is_open & open_round] = 5
    st6 = is_open & ~open_round & d.fee & (rng.random(n) < 0.18)
    status[st6] = 6
    recent = d.day >= period.last_busdays(1)
    st2 = is_open & ~open_round & ~st6 & recent & (rng.random(n) < 0.6)
    status[st2] = 2
    d.status, d.open_round = status, open_round
    _not_accepted(d, rng, period)


def _not_accepted(d: Dossiers, rng: np.random.Generator, period: Period) -> None:
    """Registered online but not accepted (1), refused at intake (3): the submission (at any
    hour) is the only event and dates the row."""
    n = d.n
    u = rng.random(n)
    st3 = d.online & (u < 0.02)
    recent3 = d.day >= period.last_busdays(3)
    st1 = d.online & ~st3 & ((recent3 & (u < 0.3)) | (u > 0.999))
    d.status[st3] = 3
    d.status[st1] = 1
    d.received = ~(st1 | st3)
    d.sub = np.where(d.received, d.sub, d.day * DAY + rng.integers(6 * HOUR, 23 * HOUR, n))
    d.rounds[~d.received] = 0
    d.open_round &= d.received


def draw_flags(d: Dossiers, rng: np.random.Generator, cat: Catalogue) -> None:
    """What the 766 index counts, rising over the period: dates filled in, synced to the
    portal, digitised, reused, from the national store, electronic result, applicant type."""
    n, t, unit, received = d.n, d.t, d.unit, d.received
    has_fin = np.isin(d.status, ENDED)
    no_fin = (d.status == 10) & (rng.random(n) < 0.015)
    d.fin_ok = has_fin & ~no_fin
    d.ret_ok = d.status == 10
    d.rm_post = d.ret_ok & d.by_post
    d.synced = rng.random(n) < np.clip(cat.traits.sync[unit] + 0.01 * t, 0, 1)
    dig_p = np.clip((0.35 + 0.5 * t + 0.15 * d.online) * cat.traits.digit[unit], 0, 0.98)
    d.digit = received & (rng.random(n) < dig_p)
    d.reuse = d.digit & (rng.random(n) < 0.25 + 0.45 * t)
    d.store = received & d.online & (rng.random(n) < 0.04 + 0.25 * t)
    d.resolved = np.isin(d.status, RESOLVED)
    d.doc = cat.procs.doc[d.proc]
    eres_p = np.where(d.doc, np.clip((0.35 + 0.55 * t) * cat.traits.eres[unit], 0, 0.98), 0.2)
    d.eres = d.resolved & (rng.random(n) < eres_p)
    app = (rng.random(n)[:, None] > cat.app_cum[d.proc]).sum(axis=1) + 1
    d.app = np.minimum(app, 4)
    _draw_identity_and_payment(d, rng, cat)
    # the adjusted due date and lateness, for the scores, ratings and feedback
    rounds, newdue = d.rounds, d.newdue
    d.due_adj = np.where(rounds >= 2, newdue[1], np.where(rounds >= 1, newdue[0], d.due))
    d.late_final = (d.fin // DAY > d.due_adj // DAY) | (rounds >= 2)


def _draw_identity_and_payment(d: Dossiers, rng: np.random.Generator, cat: Catalogue) -> None:
    """Citizens identified with VNeID; fees paid online, on the national portal (1) or on a
    ministry/provincial gateway (2)."""
    n, t, online, fee = d.n, d.t, d.online, d.fee
    vneid_p = np.where(online, 0.75 + 0.23 * t, 0.1 + 0.5 * t)
    d.vneid = (d.app == 1) & (rng.random(n) < vneid_p)
    pay_on = fee & online & (rng.random(n) < 0.5 + 0.4 * t)
    pay_direct = fee & ~online & (rng.random(n) < 0.04 + 0.2 * t)
    paid = np.where(pay_on, np.where(cat.procs.pay[d.proc] & (rng.random(n) < 0.75), 1, 2), 0)
    paid = np.where(pay_direct, 2, paid)
    d.paid = np.where(d.received, paid, 0)
