-- One row per 766 score recomputed between two releases: a scores_766 row of the same agency_id,
-- period and period_type in both whose total_100 differs (a past period revised, a score that
-- appeared or went empty): agency_id, agency_name (the new release's), period, period_type,
-- before, after, diff = after - before (empty when either is).
-- total_100 is read as DECIMAL(18, 4); a value that does not read as one is empty.
-- Run by minhbach/publish/releases/changes.py on the two releases' scores_766.csv, loaded as
-- text; kept as a table that score_moves_summary and score_moves_top read.
-- reads: scores_before, scores_after
with before as (
    select
        agency_id,
        period,
        period_type,
        try_cast(total_100 as decimal(18, 4)) as total_100
    from scores_before
),

after as (
    select
        agency_id,
        agency_name,
        period,
        period_type,
        try_cast(total_100 as decimal(18, 4)) as total_100
    from scores_after
)

select
    b.agency_id,
    a.agency_name,
    b.period,
    b.period_type,
    b.total_100 as before,
    a.total_100 as after,
    a.total_100 - b.total_100 as diff
from before as b
inner join after as a using (agency_id, period, period_type)
where b.total_100 is distinct from a.total_100
