-- One row per (received dossier, period) in the period's to_handle (methodology §2): received by
-- the end of the period, with no end before its first day. The periods of a dossier run from the
-- one of its receipt to the one of its end (or of the as-of date); they are generated per dossier
-- and joined on equality, so long-open dossiers cost one row per period and nothing more.
-- A view: its two readers (fct_open_at_period_end, fct_agency_period_dossiers) compute it
-- faster than it is stored.
-- reads: as_of_date, dim_periods, fct_dossiers
-- materialize: view
with dossiers as (
    select
        dossier_id,
        agency_id,
        procedure_id,
        channel,
        received_at,
        end_at,
        end_kind,
        outcome,
        due_at,
        received_on,
        coalesce(end_on, (select as_of from as_of_date)) as last_on
    from fct_dossiers
    where is_received
),

-- Each dossier with the first days of its periods of each type (unnest keeps its columns:
-- no join back to the dossiers).
starts as (
    select d.*, 'month' as period_type, cast(unnest(generate_series(
        date_trunc('month', d.received_on), date_trunc('month', d.last_on), interval 1 month
    )) as date) as first_day
    from dossiers as d
    union all
    select d.*, 'quarter', cast(unnest(generate_series(
        date_trunc('quarter', d.received_on), date_trunc('quarter', d.last_on), interval 3 month
    )) as date)
    from dossiers as d
    union all
    select d.*, 'year', cast(unnest(generate_series(
        date_trunc('year', d.received_on), date_trunc('year', d.last_on), interval 1 year
    )) as date)
    from dossiers as d
),

final as (
    select
        p.period,
        p.period_type,
        p.first_day,
        p.eval_date,
        p.cutoff,
        s.* exclude (period_type, first_day)
    from starts as s
    inner join dim_periods as p on p.period_type = s.period_type and p.first_day = s.first_day
)

select * from final
