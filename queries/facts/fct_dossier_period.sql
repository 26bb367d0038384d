-- One row per (received dossier, period) for every dossier in the period's to_handle
-- (methodology §2): received by the end of the period and with no end before its first day.
-- Flags say how the period saw it: carried over or new, ended in the period (and how), or
-- still open at its end (waiting or in progress, within time or overdue). Every 06a figure and
-- every dossier-based 766 indicator is a sum over these rows.
with pairs as (
    select
        period, period_type, first_day, cutoff, dossier_id, agency_id, procedure_id, channel,
        received_at, end_at, end_kind, outcome
    from fct_period_pairs
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
