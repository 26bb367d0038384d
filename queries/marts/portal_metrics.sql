-- One row per metric of a unit × period × capture in the national portal's details, as
-- published (stg_portal_metrics, row_type metric), and the TDGQ block as one metric (metric
-- TDGQ: numerator = dossiers on time, denominator = dossiers received; stg_portal_tdgq), with
-- recomputed_points: the points the portal's own rule set (seed_rule_set, qd766-2026, whatever
-- rule set the build uses) gives to the published numerator and denominator (macro rule_points,
-- half-up to 2 decimals): empty for a metric without both counts (ELECTRONIC_CERTIFIED_COPY), a
-- tracked one (maximum 0), a code the rule set does not know, and a zero denominator whose rule
-- is "not assessed". points_rule and metric_order (the rule set's order, then the portal's) are
-- internal (not published).
-- reads: seed_rule_set, stg_portal_metrics, stg_portal_tdgq
with rules as (
    select *
    from seed_rule_set
    where rule_set = 'qd766-2026'
),

published as (
    select
        portal_code, period, period_type, captured_at, complete, "group", metric, metric_name,
        position, numerator, denominator, ratio, points, max_points, quality_status,
        quality_message
    from stg_portal_metrics
    where row_type = 'metric'
    union all
    select
        t.portal_code, t.period, t.period_type, t.captured_at, t.complete, 'TDGQ', 'TDGQ',
        r.indicator_name, 1, t.on_time, t.received, t.ratio, t.points, t.max_points, null, null
    from stg_portal_tdgq as t
    left join rules as r on r.indicator = 'TDGQ'
),

final as (
    select
        m.portal_code,
        m.period,
        m.period_type,
        m.captured_at,
        m.complete,
        m."group",
        m.metric,
        m.metric_name,
        m.numerator,
        m.denominator,
        m.ratio,
        m.points,
        m.max_points,
        m.quality_status,
        m.quality_message,
        round2d(rule_points(
            r.points_rule, r.max_points, m.numerator, m.denominator, r.full_at_pct,
            r.points_if_no_denominator, r.cap_at_max
        )) as recomputed_points,
        r.points_rule,
        coalesce(r.indicator_order, 1000 + m.position) as metric_order
    from published as m
    left join rules as r on r.indicator = m.metric and r."group" = m."group"
)

select * from final
order by portal_code, period, captured_at, metric_order, metric
