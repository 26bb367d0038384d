-- One row per unit × period of dim_agency_periods: the dossiers still open at the end of the
-- period, by how far past their adjusted due date they are at that moment (site.md, unit
-- scorecard: "open dossiers by age past due"). The province unit counts every unit's dossiers.
--
-- Columns:
--   agency_id, period, period_type, complete
--   eval_date          the date the ages are measured at (the period's last day, or the as-of
--                      date while the period is not over)
--   open_at_end        waiting_applicant + in_progress (methodology §2)
--   waiting_applicant  waiting for the applicant: their clock is stopped, so they have no age
--                      past due and are not in the buckets below
--   in_progress        = not_yet_due + overdue_1_5 + overdue_6_15 + overdue_16_30 + overdue_over_30
--   not_yet_due        in_progress_within: adjusted due date on or after eval_date
--   overdue_1_5, overdue_6_15, overdue_16_30, overdue_over_30
--                      in_progress_overdue by whole calendar days past the adjusted due date
--                      (eval_date − adjusted due date). A dossier counted overdue only by the
--                      second-request rule (methodology §1) whose date has not passed
--                      (0 days) is put in overdue_1_5.
-- Counts are BIGINT, 0 when none. Read from fct_open_at_period_end, the same rows as the open
-- counts of fct_agency_period_dossiers; the check agency_open_age_buckets ties them to
-- agency_period_metrics.
-- reads: dim_agency_periods, dim_agency_scope, dim_periods, fct_open_at_period_end
with agency_periods as (
    select agency_id, period, period_type from dim_agency_periods
),

periods as (
    select period, complete, eval_date from dim_periods
),

scope as (
    select scope_id, agency_id from dim_agency_scope
),

-- The dossiers with no end by the end of each period, as they stood then (methodology §1).
open_rows as (
    select agency_id, period, waiting, within as open_within, days_overdue
    from fct_open_at_period_end
),

by_agency as (
    select
        agency_id,
        period,
        count(*) filter (where waiting) as waiting_applicant,
        count(*) filter (where not waiting) as in_progress,
        count(*) filter (where not waiting and open_within) as not_yet_due,
        count(*) filter (where not waiting and not open_within and days_overdue <= 5)
            as overdue_1_5,
        count(*) filter (where not waiting and not open_within and days_overdue between 6 and 15)
            as overdue_6_15,
        count(*) filter (where not waiting and not open_within and days_overdue between 16 and 30)
            as overdue_16_30,
        count(*) filter (where not waiting and not open_within and days_overdue > 30)
            as overdue_over_30
    from open_rows
    group by agency_id, period
),

by_scope as (
    select
        s.scope_id as agency_id,
        b.period,
        sum(b.waiting_applicant) as waiting_applicant,
        sum(b.in_progress) as in_progress,
        sum(b.not_yet_due) as not_yet_due,
        sum(b.overdue_1_5) as overdue_1_5,
        sum(b.overdue_6_15) as overdue_6_15,
        sum(b.overdue_16_30) as overdue_16_30,
        sum(b.overdue_over_30) as overdue_over_30
    from by_agency as b
    inner join scope as s on s.agency_id = b.agency_id
    group by s.scope_id, b.period
),

final as (
    select
        ap.agency_id,
        ap.period,
        ap.period_type,
        p.complete,
        p.eval_date,
        cast(coalesce(b.waiting_applicant, 0) + coalesce(b.in_progress, 0) as bigint)
            as open_at_end,
        cast(coalesce(b.waiting_applicant, 0) as bigint) as waiting_applicant,
        cast(coalesce(b.in_progress, 0) as bigint) as in_progress,
        cast(coalesce(b.not_yet_due, 0) as bigint) as not_yet_due,
        cast(coalesce(b.overdue_1_5, 0) as bigint) as overdue_1_5,
        cast(coalesce(b.overdue_6_15, 0) as bigint) as overdue_6_15,
        cast(coalesce(b.overdue_16_30, 0) as bigint) as overdue_16_30,
        cast(coalesce(b.overdue_over_30, 0) as bigint) as overdue_over_30
    from agency_periods as ap
    inner join periods as p on p.period = ap.period
    left join by_scope as b on b.agency_id = ap.agency_id and b.period = ap.period
)

select * from final
order by agency_id, period_type, period
