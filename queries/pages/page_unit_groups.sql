-- One row per unit × group of the 766 index in the unit's page period (page_units.period): the
-- group table and chart of its page /co-quan/<slug>/ (site.md, unit scorecard: "the six group
-- scores against their maxima"), in the order of methodology §3. Used by the pages only.
--
-- Columns: those of page_group_scores, and row_order (1, 2, … within the unit: group_order).
-- reads: page_units, page_group_scores
select g.*, row_number() over (partition by g.agency_id order by g.group_order) as row_order
from page_group_scores as g
inner join page_units as u
    on u.agency_id = g.agency_id and u.period = g.period and g.period_type = 'month'
order by g.agency_id, row_order
