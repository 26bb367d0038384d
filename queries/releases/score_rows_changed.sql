-- One row: the scores_766 rows (agency_id, period, period_type) only in the new release
-- (rows_added) and only in the previous one (rows_removed).
-- reads: scores_before, scores_after
with before as (select agency_id, period, period_type from scores_before),

after as (select agency_id, period, period_type from scores_after)

select
    (select count(*) from (select * from after except select * from before)) as rows_added,
    (select count(*) from (select * from before except select * from after)) as rows_removed
