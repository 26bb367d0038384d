-- One row per month of the 12 months that end with the site's period in which the province
-- has figures, in order: the home page's trend chart (site.md, home: "12-month trends") of the
-- 766 total and the on-time rate. Used by the pages only, not published.
-- reads: page_home, page_units, agency_period_metrics, scores_766
--
-- Columns: period, on_time_pct (agency_period_metrics), total_100 (scores_766)
with months as (
    select m.period, m.on_time_pct, s.total_100
    from page_home as h
    inner join page_units as u on u.is_province
    inner join agency_period_metrics as m
        on m.agency_id = u.agency_id and m.period_type = 'month' and m.period <= h.period
    left join scores_766 as s
        on s.agency_id = m.agency_id and s.period = m.period and s.period_type = m.period_type
    order by m.period desc
    limit 12
)

select period, on_time_pct, total_100
from months
order by period
