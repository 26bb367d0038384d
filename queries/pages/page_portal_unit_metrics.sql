-- One row per metric of a unit's shown capture (page_portal_units) in the national portal's
-- details (portal_metrics: as published, TDGQ as one metric), under its group (seed_groups:
-- name and order): numerator, denominator, ratio, points, maximum, data-quality status and the
-- points the portal's own rules give (recomputed_points), and deviates: the portal's checks
-- (portal_checks: metric_points or metric_ratio) find this metric off its own rules. Units without
-- details in that capture have no rows. Used by the pages only.
-- reads: page_portal_units, portal_checks, portal_metrics, seed_groups
--
-- Columns: portal_code, group, group_name, group_order, metric, metric_name, numerator,
-- denominator, ratio, points, max_points, recomputed_points, quality_status, quality_message,
-- deviates, metric_order
with shown as (
    select portal_code, period, captured_at
    from page_portal_units
),

deviations as (
    select distinct portal_code, period, captured_at, "group", subject as metric
    from portal_checks
    where "check" in ('metric_points', 'metric_ratio')
),

final as (
    select
        m.portal_code,
        m."group",
        g.group_name,
        g.group_order,
        m.metric,
        coalesce(m.metric_name, m.metric) as metric_name,
        m.numerator,
        m.denominator,
        m.ratio,
        m.points,
        m.max_points,
        m.recomputed_points,
        m.quality_status,
        m.quality_message,
        d.metric is not null as deviates,
        m.metric_order
    from portal_metrics as m
    inner join shown as s
        on s.portal_code = m.portal_code and s.period = m.period and s.captured_at = m.captured_at
    left join seed_groups as g on g."group" = m."group"
    left join deviations as d
        on d.portal_code = m.portal_code and d.period = m.period
        and d.captured_at = m.captured_at and d."group" = m."group" and d.metric = m.metric
)

select * from final
order by portal_code, group_order, metric_order, metric
