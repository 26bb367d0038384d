-- One row per deviation of a unit's published figures from the portal's own rules
-- (page_portal_checks: portal_checks labelled), in every capture of the unit, newest first: what
-- the unit's page /danh-gia-cong/<slug>/ lists as the portal's own inconsistencies. Used by the
-- pages only.
-- reads: page_portal_checks, page_portal_units
--
-- Columns: portal_code, period, captured_at, check_label, subject_label, published, expected,
-- difference
with final as (
    select c.*
    from page_portal_checks as c
    inner join page_portal_units as u on u.portal_code = c.portal_code
)

select portal_code, period, captured_at, check_label, subject_label, published, expected, difference
from final
order by portal_code, captured_at desc, check_order, subject_label
