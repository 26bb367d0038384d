-- The national portal's own inconsistencies the data-quality page lists (portal_checks: where the
-- portal's published figures break its own rules), newest capture first, at most 200 rows (the
-- download portal_checks has them all; deviations: how many there are). Empty without any.
-- Used by the pages only.
-- reads: portal_checks, portal_scores, portal_units, seed_groups, seed_labels_portal_checks, seed_rule_set
--
-- Columns: portal_code, unit (the portal's name; its code when it has none), period, complete,
-- captured_at, check_order, check_label, subject_label (the metric's or group's name and code;
-- "Tổng điểm" for the total), published, expected, difference, deviations
with labelled as (
    select
        c.portal_code,
        coalesce(u.name, c.portal_code) as unit,
        c.period,
        s.complete,
        c.captured_at,
        l.check_order,
        coalesce(l.label, c."check") as check_label,
        case
            when c."check" = 'total_sum' then 'Tổng điểm'
            else coalesce(g.group_name, r.indicator_name, c.subject) || ' (' || c.subject || ')'
        end as subject_label,
        c.published,
        c.expected,
        c.difference,
        count(*) over () as deviations
    from portal_checks as c
    left join portal_units as u on u.portal_code = c.portal_code
    left join portal_scores as s
        on s.portal_code = c.portal_code and s.period = c.period and s.captured_at = c.captured_at
    left join seed_labels_portal_checks as l on l."check" = c."check"
    left join seed_groups as g
        on g."group" = c.subject and c."check" in ('group_sum', 'group_over_max')
    left join seed_rule_set as r
        on r.rule_set = 'qd766-2026' and r.indicator = c.subject and r."group" = c."group"
        and c."check" in ('metric_points', 'metric_ratio')
),

final as (
    select *
    from labelled
    order by captured_at desc, portal_code, check_order, subject_label
    limit 200
)

select * from final
order by captured_at desc, portal_code, check_order, subject_label
