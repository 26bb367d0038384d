-- One row per group of the 766 index for the province in the site's period, in order: the
-- group table and chart of the home page (site.md, home: "the six group scores against their
-- maxima"). Used by the pages only, not published.
-- reads: page_home, page_units, page_group_scores
--
-- Columns: group, group_name, points, assessed_max, max_points, not_assessed (page_group_scores)
select
    g."group",
    g.group_name,
    g.points,
    g.assessed_max,
    g.max_points,
    g.not_assessed
from page_home as h
inner join page_units as u on u.is_province
inner join page_group_scores as g
    on g.agency_id = u.agency_id and g.period = h.period and g.period_type = 'month'
order by g.group_order
