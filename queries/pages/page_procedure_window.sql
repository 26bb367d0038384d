-- One row per procedure × handling unit that received or resolved a dossier of the procedure in
-- the 12 latest complete months (the 12 months that end with the latest complete month), the
-- province unit's own desk included (its own dossiers only), plus one row per procedure for the
-- whole province (is_total: every unit's dossiers, as the province rows of procedure_metrics).
-- Read from the dossiers themselves (fct_dossiers), not from procedure_metrics: a quantile over
-- 12 months cannot be made from monthly quantiles, and procedure_metrics' province row mixes the
-- province's own desk with every other unit. The counts follow procedure_metrics (methodology
-- §2): received = received in a window month; resolved = an end in a window month with status
-- 9/10. Behind page_procedure_units (the units) and page_procedure_totals (the province); used
-- by the pages only, not published.
--
-- Columns:
--   procedure_id
--   agency_id      the handling unit (the dossier's agency_id); on the total row the province
--                  unit's id
--   is_total       true on the whole province's row, false on a unit's (its own dossiers)
--   first_period, last_period (the 12-month window)
--   received_new, received_online, resolved, resolved_on_time (early or on time), resolved_late
--   on_time_pct    resolved_on_time / resolved, percent half-up to 2 decimals (macro pct)
--   online_pct     received_online / received_new, likewise
--   median_days, p90_days
--                  median and 90th percentile of processing_days (methodology §1 and
--                  procedure_metrics: CALENDAR days, end − received − paused time) over the
--                  dossiers resolved in the window; quantile_cont (linear interpolation), half-up
--                  to 2 decimals; NULL when none was resolved
-- reads: dim_agencies, dim_periods, fct_dossiers
with province as (
    select agency_id from dim_agencies where is_province
),

latest as (
    select max(first_day) as last_first_day
    from dim_periods
    where period_type = 'month' and complete
),

window_months as (
    select p.period, p.first_day, p.last_day
    from dim_periods as p, latest as l
    where p.period_type = 'month'
        and p.complete
        and p.first_day <= l.last_first_day
        and p.first_day > l.last_first_day - interval 12 month
),

bounds as (
    select
        min(period) as first_period,
        max(period) as last_period,
        min(first_day) as first_day,
        max(last_day) as last_day
    from window_months
),

-- Each dossier once per event in the window: received, resolved (a dossier may be both).
events as (
    select d.procedure_id, d.agency_id, 'received' as kind, d.channel, null as outcome,
        null::double as days
    from fct_dossiers as d, bounds as b
    where d.is_received and d.received_on between b.first_day and b.last_day
    union all
    select d.procedure_id, d.agency_id, 'resolved', null, d.outcome, d.processing_days
    from fct_dossiers as d, bounds as b
    where d.end_kind = 'resolved' and d.end_on between b.first_day and b.last_day
),

sums as (
    select
        procedure_id,
        agency_id,
        grouping(agency_id) = 1 as is_total,
        count(*) filter (where kind = 'received') as received_new,
        count(*) filter (where kind = 'received' and channel = 2) as received_online,
        count(*) filter (where kind = 'resolved') as resolved,
        count(*) filter (where kind = 'resolved' and outcome in ('early', 'on_time'))
            as resolved_on_time,
        count(*) filter (where kind = 'resolved' and outcome = 'late') as resolved_late,
        quantile_cont(days, [0.5, 0.9]) filter (where kind = 'resolved') as q
    from events
    group by grouping sets ((procedure_id, agency_id), (procedure_id))
),

final as (
    select
        s.procedure_id,
        case when s.is_total then (select agency_id from province) else s.agency_id end
            as agency_id,
        s.is_total,
        b.first_period,
        b.last_period,
        cast(s.received_new as bigint) as received_new,
        cast(s.received_online as bigint) as received_online,
        cast(s.resolved as bigint) as resolved,
        cast(s.resolved_on_time as bigint) as resolved_on_time,
        cast(s.resolved_late as bigint) as resolved_late,
        pct(s.resolved_on_time, s.resolved) as on_time_pct,
        pct(s.received_online, s.received_new) as online_pct,
        round2(s.q[1]) as median_days,
        round2(s.q[2]) as p90_days
    from sums as s, bounds as b
)

select * from final
order by procedure_id, is_total, agency_id
