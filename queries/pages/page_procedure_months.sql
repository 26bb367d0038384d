-- One row per procedure × month of the 24 months that end with the latest complete month, in
-- which the procedure has dossiers anywhere in the province: the province-wide monthly series of
-- its page /thu-tuc/<procedure_id>/ (site.md: "dossiers per month, actual processing days
-- (median, 90th percentile) against the statutory limit, on-time %, online share"). Figures are
-- the province unit's rows of procedure_metrics (every unit's dossiers). Used by the pages only.
--
-- Columns:
--   procedure_id, period, complete
--   row_order (1, 2, … within the procedure, by period)
--   received_new, received_online, received_other (= received_new − received_online: direct
--   or by post), resolved, resolved_on_time (early or on time), resolved_late, on_time_pct,
--   online_pct, median_days, p90_days (calendar days), statutory_days (working days)
-- reads: dim_agencies, dim_periods, procedure_metrics
with province as (
    select agency_id from dim_agencies where is_province
),

latest as (
    select max(first_day) as last_first_day
    from dim_periods
    where period_type = 'month' and complete
),

window_months as (
    select p.period, p.complete
    from dim_periods as p, latest as l
    where p.period_type = 'month'
        and p.first_day <= l.last_first_day
        and p.first_day > l.last_first_day - interval 24 month
)

select
    m.procedure_id,
    m.period,
    w.complete,
    m.received_new,
    m.received_online,
    m.received_new - m.received_online as received_other,
    m.resolved,
    m.resolved_on_time,
    m.resolved_late,
    m.on_time_pct,
    m.online_pct,
    m.median_days,
    m.p90_days,
    m.statutory_days,
    row_number() over (partition by m.procedure_id order by m.period) as row_order
from procedure_metrics as m
inner join province as pr on pr.agency_id = m.agency_id
inner join window_months as w on w.period = m.period
where m.period_type = 'month'
order by m.procedure_id, row_order
