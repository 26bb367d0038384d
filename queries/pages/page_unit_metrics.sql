-- One row per unit with figures in its page period (page_units.period): the
-- agency_period_metrics row of that month, as its page /co-quan/<slug>/ shows it (site.md, unit
-- scorecard: "the 06a figures of the period as a table, with the balance visible",
-- "satisfaction: ratings by level"). A unit without this row has no figures to show. Used by
-- the pages only, not published.
--
-- Columns: those of agency_period_metrics.
-- reads: page_units, agency_period_metrics
select m.*
from agency_period_metrics as m
inner join page_units as u
    on u.agency_id = m.agency_id and u.period = m.period and m.period_type = 'month'
order by m.agency_id
