-- One row per year with periods, newest first: the list of every ranking page on the ranking
-- hub /xep-hang/ (site.md: "links to each period's ranking"), each year with its own period and
-- its quarters and months in order. Used by the pages only, not published.
-- reads: dim_periods
--
-- Columns:
--   year           the year's number ('2026')
--   year_period    the year as a period {period, complete}; empty when it has none
--   quarters       its quarters in order [{period, complete, short}], short: 'quý I' … 'quý IV'
--   months         its months in order [{period, complete, short}], short: '1' … '12'
with periods as (
    select
        left(period, 4) as year,
        period,
        period_type,
        first_day,
        complete,
        case period_type
            when 'quarter' then 'quý ' || ['I', 'II', 'III', 'IV'][cast(right(period, 1) as integer)]
            when 'month' then cast(cast(right(period, 2) as integer) as varchar)
        end as short
    from dim_periods
)

select
    year,
    any_value({'period': period, 'complete': complete}) filter (where period_type = 'year')
        as year_period,
    coalesce(
        list({'period': period, 'complete': complete, 'short': short} order by first_day)
            filter (where period_type = 'quarter'),
        []
    ) as quarters,
    coalesce(
        list({'period': period, 'complete': complete, 'short': short} order by first_day)
            filter (where period_type = 'month'),
        []
    ) as months
from periods
group by year
order by year desc
