-- The national portal's own inconsistencies the data-quality page lists (page_portal_checks:
-- portal_checks labelled, where the portal's published figures break its own rules), newest
-- capture first, at most 200 rows (the download portal_checks has them all; deviations: how many
-- there are). Empty without any. Used by the pages only.
-- reads: page_portal_checks
--
-- Columns: portal_code, unit (the portal's name; its code when it has none), period, complete,
-- captured_at, check_order, check_label, subject_label (the metric's or group's name and code;
-- "Tổng điểm" for the total), published, expected, difference, deviations
with counted as (
    select *, count(*) over () as deviations
    from page_portal_checks
),

final as (
    select *
    from counted
    order by captured_at desc, portal_code, check_order, subject_label
    limit 200
)

select * from final
order by captured_at desc, portal_code, check_order, subject_label
