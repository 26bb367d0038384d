-- One row per period the gap page /kiem-tra-tu-xa/ shows: the latest period of each type (year,
-- quarter, month) that official_vs_recomputed compares, years first. Used by the pages only.
--
-- Columns:
--   period, period_type, complete   our period and whether it had ended on the as-of date
--   captured_first, captured_last   the earliest and latest capture compared (per unit, the
--                                   latest qualifying capture: official_vs_recomputed)
--   capture_complete                every capture compared was made after the period ended
--   units                           the units compared
--   comparable_units                those whose total could be compared in points
--   row_order                       1, 2, … (year, quarter, month)
-- reads: official_vs_recomputed
with periods as (
    select
        period,
        period_type,
        bool_and(complete) as complete,
        min(captured_at) as captured_first,
        max(captured_at) as captured_last,
        bool_and(capture_complete) as capture_complete,
        count(distinct agency_id) as units,
        count(distinct agency_id) filter (where kind = 'total' and comparable)
            as comparable_units
    from official_vs_recomputed
    group by period, period_type
),

latest as (
    select
        *,
        row_number() over (partition by period_type order by period desc) as recency,
        case period_type when 'year' then 1 when 'quarter' then 2 else 3 end as type_order
    from periods
),

final as (
    select
        period,
        period_type,
        complete,
        captured_first,
        captured_last,
        capture_complete,
        units,
        comparable_units,
        row_number() over (order by type_order) as row_order
    from latest
    where recency = 1
)

select * from final
order by row_order
