-- One row per procedure × unit × period in which the unit received or resolved at least one
-- dossier of the procedure. Units are the handling units (the dossier's agency_id); the
-- province unit's row (its agency_id) counts every unit's dossiers of the procedure, its own
-- included, as in agency_period_metrics (dim_agency_scope). Published as the download
-- procedure_metrics.
--
-- Columns:
--   procedure_id, procedure_name, agency_id, period, period_type, complete
--   received_new        dossiers received in P (methodology §2)
--   resolved            dossiers with an end in P and status 9/10
--   resolved_on_time    of which early or on time (resolved_early + resolved_on_time)
--   on_time_pct         resolved_on_time / resolved, percent half-up to 2 decimals, NULL when
--                       nothing was resolved
--   median_days, p90_days
--                       median and 90th percentile of processing_days over the dossiers
--                       resolved in P: CALENDAR days, fractional, from received_at to the end,
--                       minus the paused time of supplementation rounds (exact durations);
--                       continuous quantiles (quantile_cont: linear interpolation between the
--                       two nearest values, as in a spreadsheet's PERCENTILE.INC), rounded
--                       half-up to 2 decimals; NULL when nothing was resolved
--   statutory_days      the catalogue's legal time limit, in WORKING days (not comparable
--                       one-to-one with the calendar days above)
--   online_pct          received_online / received_new, NULL when nothing was received
--   received_online     dossiers received in P online (channel 2): online_pct's numerator
--   resolved_late       dossiers resolved late in P
--
-- Counts are summed month by month, then into quarters and years; the quantiles are taken over
-- the list of each period's own resolved dossiers (quantiles do not add up).
-- reads: dim_agencies, dim_period_months, dim_periods, fct_dossiers, stg_procedures
with procedures as (
    select procedure_id, name, statutory_days from stg_procedures where reject_reason is null
),

periods as (
    select period, period_type, complete from dim_periods
),

province as (
    select agency_id from dim_agencies where is_province
),

-- Events count in their month, then in its quarter and year (dim_period_months).
months as (
    select first_day as month, eval_date from dim_periods where period_type = 'month'
),

received as (
    select d.agency_id, d.procedure_id, m.month, d.channel
    from fct_dossiers as d
    inner join months as m
        on m.month = cast(date_trunc('month', d.received_on) as date)
        and d.received_on <= m.eval_date
    where d.is_received
),

resolved as (
    select d.agency_id, d.procedure_id, m.month, d.outcome, d.processing_days
    from fct_dossiers as d
    inner join months as m
        on m.month = cast(date_trunc('month', d.end_on) as date)
        and d.end_on <= m.eval_date
    where d.end_kind = 'resolved'
),

-- Per unit, procedure and month: the counts, and the processing days of the dossiers resolved
-- (a list, so that quarters and years can take their quantiles over all their dossiers).
by_month as (
    select
        agency_id,
        procedure_id,
        month,
        count(*) filter (where kind = 'received') as received_new,
        count(*) filter (where kind = 'received' and channel = 2) as received_online,
        count(*) filter (where kind = 'resolved') as resolved,
        count(*) filter (where kind = 'resolved' and outcome in ('early', 'on_time'))
            as resolved_on_time,
        count(*) filter (where kind = 'resolved' and outcome = 'late') as resolved_late,
        coalesce(list(days) filter (where kind = 'resolved'), []) as days
    from (
        select agency_id, procedure_id, month, 'received' as kind, channel, null as outcome,
            null::double as days
        from received
        union all
        select agency_id, procedure_id, month, 'resolved', null, outcome, processing_days
        from resolved
    )
    group by agency_id, procedure_id, month
),

-- Units other than the province: their own dossiers, month by month into every period (a
-- month's row is its by_month row; quarters and years add up their months).
-- (The province's own dossiers are in the province-wide rows below.)
unit_rows as (
    select
        b.agency_id,
        b.procedure_id,
        pm.period,
        b.received_new,
        b.received_online,
        b.resolved,
        b.resolved_on_time,
        b.resolved_late,
        b.days
    from by_month as b
    inner join dim_period_months as pm on pm.month = b.month and pm.period_type = 'month'
    where b.agency_id not in (select agency_id from province)
    union all
    select
        b.agency_id,
        b.procedure_id,
        pm.period,
        sum(b.received_new) as received_new,
        sum(b.received_online) as received_online,
        sum(b.resolved) as resolved,
        sum(b.resolved_on_time) as resolved_on_time,
        sum(b.resolved_late) as resolved_late,
        flatten(list(b.days)) as days
    from by_month as b
    inner join dim_period_months as pm on pm.month = b.month and pm.period_type <> 'month'
    where b.agency_id not in (select agency_id from province)
    group by b.agency_id, b.procedure_id, pm.period
),

-- The province: every unit's dossiers.
province_by_month as (
    select
        procedure_id,
        month,
        sum(received_new) as received_new,
        sum(received_online) as received_online,
        sum(resolved) as resolved,
        sum(resolved_on_time) as resolved_on_time,
        sum(resolved_late) as resolved_late,
        flatten(list(days)) as days
    from by_month
    group by procedure_id, month
),

province_rows as (
    select
        (select agency_id from province) as agency_id,
        b.procedure_id,
        pm.period,
        sum(b.received_new) as received_new,
        sum(b.received_online) as received_online,
        sum(b.resolved) as resolved,
        sum(b.resolved_on_time) as resolved_on_time,
        sum(b.resolved_late) as resolved_late,
        flatten(list(b.days)) as days
    from province_by_month as b
    inner join dim_period_months as pm on pm.month = b.month
    group by b.procedure_id, pm.period
),

-- Median and 90th percentile: quantile_cont over each period's list (NULL when it is empty).
figures as (
    select
        *,
        list_aggregate(days, 'quantile_cont', [0.5, 0.9]) as q
    from (
        select * from unit_rows
        union all
        select * from province_rows
    )
),

final as (
    select
        f.procedure_id,
        pr.name as procedure_name,
        f.agency_id,
        f.period,
        p.period_type,
        p.complete,
        cast(f.received_new as bigint) as received_new,
        cast(f.resolved as bigint) as resolved,
        cast(f.resolved_on_time as bigint) as resolved_on_time,
        pct(f.resolved_on_time, f.resolved) as on_time_pct,
        round2(f.q[1]) as median_days,
        round2(f.q[2]) as p90_days,
        pr.statutory_days,
        pct(f.received_online, f.received_new) as online_pct,
        cast(f.received_online as bigint) as received_online,
        cast(f.resolved_late as bigint) as resolved_late
    from figures as f
    inner join periods as p on p.period = f.period
    left join procedures as pr on pr.procedure_id = f.procedure_id
)

select * from final
