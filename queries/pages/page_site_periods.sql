-- One row per period of dim_periods (month, quarter, year), newest first: the periods the pages
-- name, with the site's period, the one the home page and the ranking hub show (site.md: "the
-- province at a glance for the latest complete month"): the latest complete month, else the
-- latest month. Used by the pages only, not published.
-- reads: dim_periods
--
-- Columns:
--   period, period_type, first_day, last_day, complete, previous_period     dim_periods
--   is_latest      true on the site's period (at most one row)
with months as (
    select period, row_number() over (order by complete desc, first_day desc) as pick
    from dim_periods
    where period_type = 'month'
)

select
    p.period,
    p.period_type,
    p.first_day,
    p.last_day,
    p.complete,
    p.previous_period,
    coalesce(m.pick = 1, false) as is_latest
from dim_periods as p
left join months as m on m.period = p.period
order by p.first_day desc, p.period_type
