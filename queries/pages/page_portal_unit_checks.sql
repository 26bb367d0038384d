-- One row per deviation of a unit's published figures from the portal's own rules
-- (portal_checks), in every capture of the unit, newest first: what the unit's page
-- /danh-gia-cong/<slug>/ lists as the portal's own inconsistencies. Labels as on the data-quality
-- page (page_quality_portal_checks). Used by the pages only.
-- reads: page_portal_units, portal_checks, seed_groups, seed_labels_portal_checks, seed_rule_set
--
-- Columns: portal_code, period, captured_at, check_label, subject_label, published, expected,
-- difference
with final as (
    select
        c.portal_code,
        c.period,
        c.captured_at,
        coalesce(l.label, c."check") as check_label,
        case
            when c."check" = 'total_sum' then 'Tổng điểm'
            else coalesce(g.group_name, r.indicator_name, c.subject) || ' (' || c.subject || ')'
        end as subject_label,
        c.published,
        c.expected,
        c.difference,
        l.check_order
    from portal_checks as c
    inner join page_portal_units as u on u.portal_code = c.portal_code
    left join seed_labels_portal_checks as l on l."check" = c."check"
    left join seed_groups as g
        on g."group" = c.subject and c."check" in ('group_sum', 'group_over_max')
    left join seed_rule_set as r
        on r.rule_set = 'qd766-2026' and r.indicator = c.subject and r."group" = c."group"
        and c."check" in ('metric_points', 'metric_ratio')
)

select portal_code, period, captured_at, check_label, subject_label, published, expected, difference
from final
order by portal_code, captured_at desc, check_order, subject_label
