-- One row per unit with the indicator that measures feedback handled on time (5.1, or what
-- counts as 5.1 in another rule set: seed_rule_set.measure) in its page period: the line
-- on feedback under "Mức độ hài lòng" of its page /co-quan/<slug>/ (site.md, unit scorecard:
-- "satisfaction: ratings by level, feedback handled on time"). Used by the pages only.
--
-- Columns: those of page_unit_indicators.
-- reads: page_unit_indicators
select *
from page_unit_indicators
where measure = '5.1'
order by agency_id
