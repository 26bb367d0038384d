-- One row per file of the national portal's evaluation (raw_portal_captures: portal.md, read by
-- minhbach/portal/read.py), empty without a portal/ folder: its shape (national, units,
-- details), the period it gives (period_type year, quarter or month; period written as
-- elsewhere: 2026, 2026-Q3, 2026-09; its first and last day), when it was captured (captured_at:
-- local time, Asia/Ho_Chi_Minh, UTC+7 all year, as every timestamp of the build; the reader
-- keeps UTC), whether the period had ended by then (complete: false for a year or quarter to
-- date, and for a month captured before it ended), the province it is about (empty for a
-- national ranking) and how many units it lists.
-- reads: raw_portal_captures
select
    file,
    shape,
    form,
    time_type as period_type,
    year,
    period_number,
    period,
    period_start,
    period_end,
    captured_at + interval 7 hour as captured_at,
    complete,
    province_code,
    root_department_id,
    from_manifest,
    entries
from raw_portal_captures
