-- One row per (received dossier, period) for every dossier in the period's to_handle
-- (methodology §2): received by the end of the period and with no end before its first day.
-- Flags say how the period saw it: carried over or new, ended in the period (and how), or
-- still open at its end (waiting or in progress, within time or overdue). Every 06a figure and
-- every dossier-based 766 indicator is a sum over these rows.
with pairs as (
    select
        p.period,
        p.period_type,
        p.first_day,
        p.cutoff,
        d.dossier_id,
        d.agency_id,
        d.procedure_id,
        d.channel,
        d.received_at,
        d.end_at,
        d.end_kind,
        d.outcome
    from fct_dossiers as d
    inner join dim_periods as p
        on d.received_at < p.cutoff
        and coalesce(d.end_at, timestamp '9999-12-31') >= cast(p.first_day as timestamp)
    where d.is_received
),

final as (
    select
        x.period,
        x.period_type,
        x.dossier_id,
        x.agency_id,
        x.procedure_id,
        x.channel,
        x.received_at < cast(x.first_day as timestamp) as carried_over,
        x.received_at >= cast(x.first_day as timestamp) as received_new,
        x.end_at < x.cutoff as ended,
        case when x.end_at < x.cutoff then x.end_kind end as end_kind,
        case when x.end_at < x.cutoff then x.outcome end as outcome,
        o.dossier_id is not null as open_at_end,
        coalesce(o.waiting, false) as waiting,
        o.within as open_within,
        o.days_overdue,
        -- Indicator 2.1's numerator: ended early or on time, or open and within time.
        case
            when x.end_at < x.cutoff then x.outcome in ('early', 'on_time')
            else coalesce(o.within, false)
        end as in_time
    from pairs as x
    left join fct_open_at_period_end as o
        on o.period = x.period and o.dossier_id = x.dossier_id
)

select * from final
