-- One row per unit × period of agency_period_metrics: the headline rates of the period beside
-- those of the previous period of the same type (dim_periods.previous_period) and the change,
-- in percentage points (site.md, home page: "on-time, online, overdue-open and satisfaction
-- rates with change from the previous period"). Used by the pages only, not published.
--
-- Columns:
--   agency_id, period, period_type, previous_period
--   on_time_pct, online_pct, overdue_open_pct, satisfied_pct          this period
--   prev_on_time_pct, prev_online_pct, prev_overdue_open_pct, prev_satisfied_pct
--   change_on_time_pct, change_online_pct, change_overdue_open_pct, change_satisfied_pct
--                  this period − previous period, in percentage points (both already rounded
--                  to two decimals); empty when either is empty
-- reads: agency_period_metrics, dim_periods
with metrics as (
    select agency_id, period, period_type, on_time_pct, online_pct, overdue_open_pct,
        satisfied_pct
    from agency_period_metrics
)

select
    m.agency_id,
    m.period,
    m.period_type,
    p.previous_period,
    m.on_time_pct,
    m.online_pct,
    m.overdue_open_pct,
    m.satisfied_pct,
    prev.on_time_pct as prev_on_time_pct,
    prev.online_pct as prev_online_pct,
    prev.overdue_open_pct as prev_overdue_open_pct,
    prev.satisfied_pct as prev_satisfied_pct,
    m.on_time_pct - prev.on_time_pct as change_on_time_pct,
    m.online_pct - prev.online_pct as change_online_pct,
    m.overdue_open_pct - prev.overdue_open_pct as change_overdue_open_pct,
    m.satisfied_pct - prev.satisfied_pct as change_satisfied_pct
from metrics as m
inner join dim_periods as p on p.period = m.period and p.period_type = m.period_type
left join metrics as prev
    on prev.agency_id = m.agency_id and prev.period = p.previous_period
    and prev.period_type = m.period_type
order by m.agency_id, m.period_type, m.period
