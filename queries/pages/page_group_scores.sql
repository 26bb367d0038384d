-- One row per unit × period × group of the Decision 766 index (methodology §3): the group's
-- score against its maximum, and which of its indicators were not assessed (site.md, unit
-- scorecard: "the six group scores against their maxima ... the indicators not assessed
-- named"). Used by the pages only, not published.
--
-- Columns (those of scores_766_groups, in the groups' order):
--   agency_id, period, period_type, group, group_order (seed_groups: the order of methodology §3)
--   group_name     the group's name (seed_groups)
--   points         the group score of scores_766 (sum of assessed points, half-up to two
--                  decimals); empty when none of its indicators is assessed
--   max_points     the group's maximum under the rule set (sum of its indicators' maxima)
--   assessed_max   sum of the maxima of its assessed indicators (what the unit could reach)
--   indicators, assessed_indicators
--   not_assessed   the codes of its indicators not assessed, comma-separated (empty if none)
-- reads: scores_766_groups, seed_groups
select
    s.agency_id,
    s.period,
    s.period_type,
    s."group",
    s.group_order,
    g.group_name,
    s.points,
    s.max_points,
    s.assessed_max,
    s.indicators,
    s.assessed_indicators,
    s.not_assessed
from scores_766_groups as s
inner join seed_groups as g on g."group" = s."group"
order by s.agency_id, s.period_type, s.period, s.group_order
