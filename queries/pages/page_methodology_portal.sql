-- One row per group of the national portal's 2026 evaluation, with its metrics: the tables of
-- the section on the portal's rules of the methodology page /phuong-phap/ (#cong-chi-so). The
-- rule set is always qd766-2026 (the rules the portal's figures are checked against, whatever
-- rule set the build scores with): codes, names, groups, maxima, whether the rule is confirmed
-- and its note are the seed's (seed_rule_set), and so is the rule in words (points_text).
-- Used by the pages only, not published.
-- reads: seed_groups, seed_rule_set
--
-- Columns:
--   group, group_name        seed_groups
--   max_points               the sum of the group's metric maxima under qd766-2026
--   metrics                  [{indicator, indicator_name, max_points, points_text, confirmed,
--                            note}] in the rule set's order; confirmed: true, false or empty
with metrics as (
    select
        r."group",
        sum(r.max_points) as max_points,
        list({
            'indicator': r.indicator, 'indicator_name': r.indicator_name,
            'max_points': r.max_points, 'points_text': r.points_text,
            'confirmed': r.confirmed, 'note': r.note
        } order by r.indicator_order) as metrics
    from seed_rule_set as r
    where r.rule_set = 'qd766-2026'
    group by r."group"
),

final as (
    select
        g."group",
        g.group_name,
        cast(m.max_points as integer) as max_points,
        m.metrics,
        g.group_order
    from seed_groups as g
    inner join metrics as m on m."group" = g."group"
)

select * from final
order by group_order
