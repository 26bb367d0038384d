-- One row per unit × group of the 766 index in the unit's page period (page_units.period): the
-- group table and chart of its page /co-quan/<slug>/ (site.md, unit scorecard: "the six group
-- scores against their maxima", "official score beside the computed one where imported"), in
-- the order of methodology §3. Used by the pages only, not published.
--
-- Columns:
--   those of page_group_scores
--   official_points    the group's official score (scores_766.official_<group>), empty when
--                      none was imported
--   row_order          1, 2, … within the unit (group_order)
-- reads: page_group_scores, page_unit_scores, page_units
with official as (
    select agency_id, substr(name, length('official_') + 1) as "group", official_points
    from (select agency_id, columns('^official_[A-Z]+$') from page_unit_scores)
    unpivot include nulls (official_points for name in (columns('^official_[A-Z]+$')))
)

select
    g.*,
    o.official_points,
    row_number() over (partition by g.agency_id order by g.group_order) as row_order
from page_group_scores as g
inner join page_units as u
    on u.agency_id = g.agency_id and u.period = g.period and g.period_type = 'month'
left join official as o on o.agency_id = g.agency_id and o."group" = g."group"
order by g.agency_id, row_order
