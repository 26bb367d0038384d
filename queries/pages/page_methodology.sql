-- One row: the figures the methodology page /phuong-phap/ states of the build's rule set
-- (getvariable('rule_set')): the points of all its indicators (the 100 of "thang 100 điểm"),
-- and the rule sets a config may choose (those whose every indicator the build recomputes from
-- dossier exports: seed_rule_set.recomputable, as minhbach.config.known_rule_sets).
-- Used by the pages only, not published.
-- reads: seed_rule_set
--
-- Columns:
--   total_points      the sum of the rule set's indicator maxima
--   rule_sets         the rule sets a config may choose, sorted by name
with build_rule_set as (
    select sum(max_points) as total_points
    from seed_rule_set
    where rule_set = getvariable('rule_set')
),

selectable as (
    select rule_set
    from seed_rule_set
    group by rule_set
    having bool_and(coalesce(recomputable, false))
),

final as (
    select
        b.total_points,
        (select list(rule_set order by rule_set) from selectable) as rule_sets
    from build_rule_set as b
)

select * from final
