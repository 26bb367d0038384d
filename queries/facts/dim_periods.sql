-- One row per reporting period: every month, quarter and year from the first month with data
-- to the as-of date. A period is complete when its last day is on or before the as-of date;
-- "at the end of P" is the end of eval_date (the last day, or the as-of date if incomplete);
-- cutoff is the first instant after it.
-- reads: as_of_date, fct_dossiers
with bounds as (
    select
        date_trunc('month', min(coalesce(received_on, cast(submitted_at as date), refused_on)))
            as first_month,
        (select as_of from as_of_date) as as_of
    from fct_dossiers
),

months as (
    select cast(m as date) as first_day, as_of
    from bounds, range(first_month, as_of + interval 1 day, interval 1 month) as r(m)
    where first_month is not null
),

periods as (
    select distinct
        'month' as period_type,
        strftime(first_day, '%Y-%m') as period,
        first_day,
        cast(first_day + interval 1 month - interval 1 day as date) as last_day,
        as_of
    from months
    union all
    select distinct
        'quarter',
        strftime(first_day, '%Y') || '-Q' || quarter(first_day),
        cast(date_trunc('quarter', first_day) as date),
        cast(date_trunc('quarter', first_day) + interval 3 month - interval 1 day as date),
        as_of
    from months
    union all
    select distinct
        'year',
        strftime(first_day, '%Y'),
        cast(date_trunc('year', first_day) as date),
        cast(date_trunc('year', first_day) + interval 1 year - interval 1 day as date),
        as_of
    from months
),

final as (
    select
        period,
        period_type,
        first_day,
        last_day,
        last_day <= as_of as complete,
        least(last_day, as_of) as eval_date,
        cast(least(last_day, as_of) + interval 1 day as timestamp) as cutoff,
        lag(period) over (partition by period_type order by first_day) as previous_period
    from periods
)

select * from final
order by period_type, first_day
