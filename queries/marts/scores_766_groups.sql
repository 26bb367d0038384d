-- One row per unit × period × group of the Decision 766 index (methodology §3, "Missing inputs,
-- levels, totals"): the group's score and what it is made of, for each group of seed_groups
-- that the rule set's indicators (index_766) belong to.
--
-- Columns:
--   agency_id, period, period_type, group, group_order (seed_groups: the order of methodology §3)
--   points         sum of the group's assessed points (index_766.points_exact, unrounded),
--                  half-up to two decimals; empty when none of its indicators is assessed
--   max_points     the group's maximum under the rule set (sum of its indicators' maxima)
--   assessed_max   sum of the maxima of its assessed indicators (what the unit could reach)
--   indicators, assessed_indicators
--   not_assessed   the codes of its indicators not assessed, comma-separated (empty if none)
-- scores_766 spreads points into one column per group; page_group_scores shows these rows.
-- reads: index_766, seed_groups
select
    i.agency_id,
    i.period,
    i.period_type,
    i."group",
    g.group_order,
    round2(sum(i.points_exact)) as points,
    cast(sum(i.max_points) as integer) as max_points,
    cast(coalesce(sum(i.max_points) filter (where i.assessed), 0) as integer) as assessed_max,
    count(*) as indicators,
    count(*) filter (where i.assessed) as assessed_indicators,
    string_agg(i.indicator, ',' order by i.indicator) filter (where not i.assessed)
        as not_assessed
from index_766 as i
inner join seed_groups as g on g."group" = i."group"
group by i.agency_id, i.period, i.period_type, i."group", g.group_order
order by i.agency_id, i.period_type, i.period, g.group_order
