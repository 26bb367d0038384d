-- One row per deviation of the national portal's published figures from its own rules
-- (portal.md, "Checks"): the source's inconsistencies, listed as they are, never corrected; a
-- deviation never stops the build.
--   metric_points   a metric's published points against recomputed_points (portal_metrics: the
--                   rules of qd766-2026 on the published numerator and denominator; TDGQ:
--                   20 × on time / received), beyond 0.011 (both are rounded to 2 decimals), or
--                   only one of the two empty. Metrics with both counts and a rule that uses
--                   them; a tracked metric (maximum 0) deviates when it has points other than
--                   0; ELECTRONIC_CERTIFIED_COPY (no counts) and unknown codes are not checked.
--   metric_ratio    a published ratio (percent) against 100 × numerator / denominator, beyond
--                   0.006, or empty (not checked with a zero or missing count).
--   group_sum       a group's published score (the unit's groupScores of that capture, else its
--                   block's) against the sum of its metrics' published points, beyond
--                   0.005 × (k + 1) for k points summed; only groups published with metrics
--                   (CKMB, MDSH, MDHL in the details files): CLGQ and TTTT come as a score alone
--                   (TTTT's observed 6A + min(2; 2.5B) + 2.5C is unconfirmed and its C is not
--                   published: TTTT is not recomputed), TDGQ as its block (metric TDGQ above).
--   total_sum       a total against the sum of its six groups (all six published), beyond 0.035.
--   group_over_max  a group score above the group's maximum (seed_groups) by more than 0.005.
-- published, expected (what the rules give), difference (published − expected) and tolerance
-- (the difference allowed) are points, or percent for a ratio. Differences are compared rounded
-- to 9 decimals: the published figures have 2, and a difference at the tolerance itself (0.04
-- for 7 metrics) must not turn on binary floating-point noise. The country's overview has no
-- group scores and is not checked (its total is not the provinces' mean: that is no rule).
-- Not unique by a key: one row per deviation found.
-- reads: portal_metrics, seed_groups, stg_portal_metrics, stg_portal_scores
with metric_points as (
    select
        portal_code, period, period_type, captured_at, 'metric_points' as "check", "group",
        metric as subject, points as published, recomputed_points as expected, 0.011 as tolerance
    from portal_metrics
    where numerator is not null and denominator is not null
        and (
            (points_rule in ('proportional', 'full_at', 'min2')
                and ((points is null) <> (recomputed_points is null)
                    or round(abs(points - recomputed_points), 9) > 0.011))
            or (points_rule = 'tracked' and points <> 0)
        )
),

metric_ratio as (
    select
        portal_code, period, period_type, captured_at, 'metric_ratio' as "check", "group",
        metric as subject, ratio as published, 100.0 * numerator / denominator as expected,
        0.006 as tolerance
    from portal_metrics
    where denominator <> 0
        and (ratio is null or round(abs(ratio - 100.0 * numerator / denominator), 9) > 0.006)
),

-- Each group of a unit × capture, as published: the unit's groupScores (stg_portal_scores),
-- else its block in the details (stg_portal_metrics, row_type group).
unit_groups as (
    unpivot (
        select portal_code, period, period_type, captured_at, CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL
        from stg_portal_scores
        where level <> 'national'
    ) on CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL into name "group" value score
),

groups as (
    select
        coalesce(u.portal_code, b.portal_code) as portal_code,
        coalesce(u.period, b.period) as period,
        coalesce(u.period_type, b.period_type) as period_type,
        coalesce(u.captured_at, b.captured_at) as captured_at,
        coalesce(u."group", b."group") as "group",
        coalesce(u.score, b.points) as score
    from unit_groups as u
    full join (select * from stg_portal_metrics where row_type = 'group') as b
        on b.portal_code = u.portal_code and b.period = u.period
        and b.captured_at = u.captured_at and b."group" = u."group"
),

metric_sums as (
    select
        portal_code, period, captured_at, "group",
        coalesce(sum(points), 0) as points,
        count(points) as terms
    from stg_portal_metrics
    where row_type = 'metric'
    group by portal_code, period, captured_at, "group"
),

group_sum as (
    select
        g.portal_code, g.period, g.period_type, g.captured_at, 'group_sum' as "check", g."group",
        g."group" as subject, g.score as published, round2d(m.points) as expected,
        0.005 * (m.terms + 1) as tolerance
    from groups as g
    inner join metric_sums as m
        on m.portal_code = g.portal_code and m.period = g.period
        and m.captured_at = g.captured_at and m."group" = g."group"
    where round(abs(g.score - m.points), 9) > 0.005 * (m.terms + 1)
),

totals as (
    select
        s.portal_code, s.period, s.period_type, s.captured_at, s.total,
        sum(g.score) as groups_sum,
        count(g.score) as groups_published
    from stg_portal_scores as s
    inner join groups as g
        on g.portal_code = s.portal_code and g.period = s.period and g.captured_at = s.captured_at
    where s.level <> 'national'
    group by all
),

total_sum as (
    select
        portal_code, period, period_type, captured_at, 'total_sum' as "check", null as "group",
        'total' as subject, total as published, round2d(groups_sum) as expected,
        0.035 as tolerance
    from totals
    where groups_published = 6 and round(abs(total - groups_sum), 9) > 0.035
),

group_over_max as (
    select
        g.portal_code, g.period, g.period_type, g.captured_at, 'group_over_max' as "check",
        g."group", g."group" as subject, g.score as published, s.max_points as expected,
        0.005 as tolerance
    from groups as g
    inner join seed_groups as s on s."group" = g."group"
    where round(g.score - s.max_points, 9) > 0.005
),

deviations as (
    select * from metric_points
    union all
    select * from metric_ratio
    union all
    select * from group_sum
    union all
    select * from total_sum
    union all
    select * from group_over_max
),

final as (
    select
        portal_code,
        period,
        period_type,
        captured_at,
        "check",
        "group",
        subject,
        cast(published as double) as published,
        round(cast(expected as double), 4) as expected,
        round(cast(published as double) - expected, 4) as difference,
        cast(tolerance as double) as tolerance
    from deviations
)

select * from final
order by portal_code, period, captured_at, "check", "group", subject
