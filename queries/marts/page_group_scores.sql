-- One row per unit × period × group of the Decision 766 index (methodology §3): the group's
-- score against its maximum, and which of its indicators were not assessed (site.md, unit
-- scorecard: "the six group scores against their maxima ... the indicators not assessed
-- named"). Used by the pages only, not published.
--
-- Columns:
--   agency_id, period, period_type, group, group_order (1..6, the order of methodology §3)
--   points         the group score of scores_766 (sum of assessed points, half-up to two
--                  decimals); empty when none of its indicators is assessed
--   max_points     the group's maximum under the rule set (sum of its indicators' maxima)
--   assessed_max   sum of the maxima of its assessed indicators (what the unit could reach)
--   indicators, assessed_indicators
--   not_assessed   the codes of its indicators not assessed, comma-separated (empty if none)
-- reads: index_766, scores_766
with groups as (
    select
        agency_id,
        period,
        period_type,
        "group",
        sum(max_points) as max_points,
        coalesce(sum(max_points) filter (where assessed), 0) as assessed_max,
        count(*) as indicators,
        count(*) filter (where assessed) as assessed_indicators,
        string_agg(indicator, ',' order by indicator) filter (where not assessed) as not_assessed
    from index_766
    group by agency_id, period, period_type, "group"
),

scores as (
    unpivot (select agency_id, period, period_type, CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL
             from scores_766)
    on CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL
    into name "group" value points
)

select
    g.agency_id,
    g.period,
    g.period_type,
    g."group",
    case g."group" when 'CKMB' then 1 when 'TDGQ' then 2 when 'CLGQ' then 3
        when 'TTTT' then 4 when 'MDSH' then 5 when 'MDHL' then 6 end as group_order,
    s.points,
    cast(g.max_points as integer) as max_points,
    cast(g.assessed_max as integer) as assessed_max,
    g.indicators,
    g.assessed_indicators,
    g.not_assessed
from groups as g
left join scores as s
    on s.agency_id = g.agency_id and s.period = g.period and s.period_type = g.period_type
    and s."group" = g."group"
order by g.agency_id, g.period_type, g.period, group_order
