-- One row per group of the 766 index, in order, with its indicators under the build's rule set
-- (getvariable('rule_set')): the group table and the indicator tables of the methodology page
-- /phuong-phap/ (site.md: "each indicator with formula, maximum, thresholds, what is not
-- assessed and why"). Codes, names, groups and maxima are the rule set's (seed_rule_set); the
-- words of each indicator's line too (formula, points_text, not_assessed_text). Used by the
-- pages only.
-- reads: seed_groups, seed_rule_set
--
-- Columns:
--   group, group_name, max_points         seed_groups
--   anchor            the heading's anchor: the code in lower case (#ckmb)
--   indicators        [{indicator, indicator_name, max_points, formula, points_text,
--                     not_assessed_text}] in the rule set's order
with indicators as (
    select
        r."group",
        list({
            'indicator': r.indicator, 'indicator_name': r.indicator_name,
            'max_points': r.max_points, 'formula': r.formula, 'points_text': r.points_text,
            'not_assessed_text': r.not_assessed_text
        } order by r.indicator_order) as indicators
    from seed_rule_set as r
    where r.rule_set = getvariable('rule_set')
    group by r."group"
)

select
    g."group",
    g.group_name,
    g.max_points,
    lower(g."group") as anchor,
    coalesce(i.indicators, []) as indicators
from seed_groups as g
left join indicators as i on i."group" = g."group"
order by g.group_order
