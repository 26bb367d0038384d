-- One row per procedure × unit that received or resolved a dossier of the procedure in the
-- 12 latest complete months (the 12 months that end with the latest complete month): the sums
-- behind "where the procedure is handled" (site.md, procedure page; page_procedure_units lists
-- the units, page_procedure_totals gives the province row). The province unit's row counts
-- every unit's dossiers, as in procedure_metrics. Used by the pages only, not published.
--
-- Columns:
--   procedure_id, agency_id, first_period, last_period (the 12-month window)
--   received_new, received_online, resolved, resolved_on_time (early or on time), resolved_late
--                  sums over the window of procedure_metrics' monthly rows
--   on_time_pct    resolved_on_time / resolved, percent half-up to 2 decimals (macro pct)
--   online_pct     received_online / received_new, likewise
-- reads: dim_periods, procedure_metrics
with latest as (
    select max(first_day) as last_first_day
    from dim_periods
    where period_type = 'month' and complete
),

window_months as (
    select p.period
    from dim_periods as p, latest as l
    where p.period_type = 'month'
        and p.complete
        and p.first_day <= l.last_first_day
        and p.first_day > l.last_first_day - interval 12 month
),

bounds as (
    select min(period) as first_period, max(period) as last_period from window_months
),

sums as (
    select
        m.procedure_id,
        m.agency_id,
        sum(m.received_new) as received_new,
        sum(m.received_online) as received_online,
        sum(m.resolved) as resolved,
        sum(m.resolved_on_time) as resolved_on_time,
        sum(m.resolved_late) as resolved_late
    from procedure_metrics as m
    inner join window_months as w on w.period = m.period
    where m.period_type = 'month'
    group by m.procedure_id, m.agency_id
)

select
    s.procedure_id,
    s.agency_id,
    b.first_period,
    b.last_period,
    cast(s.received_new as bigint) as received_new,
    cast(s.received_online as bigint) as received_online,
    cast(s.resolved as bigint) as resolved,
    cast(s.resolved_on_time as bigint) as resolved_on_time,
    cast(s.resolved_late as bigint) as resolved_late,
    pct(s.resolved_on_time, s.resolved) as on_time_pct,
    pct(s.received_online, s.received_new) as online_pct
from sums as s, bounds as b
order by s.procedure_id, s.agency_id
