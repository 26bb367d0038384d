-- One row per deviation of the national portal's published figures from its own rules
-- (portal_checks), labelled for the pages: the unit (the portal's name; its code when it has
-- none), the period and whether it was complete, the check's label and order
-- (seed_labels_portal_checks), and what it is about (the metric's or group's name and code;
-- "Tổng điểm" for the total). Read by the data-quality page (page_quality_portal_checks) and the
-- portal unit pages (page_portal_unit_checks). Used by the pages only.
-- reads: portal_checks, portal_scores, portal_units, seed_groups, seed_labels_portal_checks, seed_rule_set
--
-- Columns: portal_code, unit, period, complete, captured_at, check_order, check_label,
-- subject_label, published, expected, difference
with final as (
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
        c.difference
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
)

select * from final
