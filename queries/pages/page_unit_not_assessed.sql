-- One row per unit × indicator NOT assessed in the unit's page period: the list "Chỉ số không
-- đánh giá" of its page /co-quan/<slug>/ (site.md, unit scorecard: "the indicators not assessed
-- named"), by indicator code. Used by the pages only, not published.
--
-- Columns: those of page_unit_indicators (row_order: 1, 2, … within the unit, renumbered).
-- reads: page_unit_indicators
select
    * replace (row_number() over (partition by agency_id order by indicator) as row_order)
from page_unit_indicators
where not assessed
order by agency_id, row_order
