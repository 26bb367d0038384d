-- One row: the figures the methodology page /phuong-phap/ states of the build's rule set
-- (getvariable('rule_set')): the points of all its indicators (the 100 of "thang 100 điểm").
-- Used by the pages only, not published.
-- reads: seed_rule_set
--
-- Columns:
--   total_points      the sum of the rule set's indicator maxima
select sum(max_points) as total_points
from seed_rule_set
where rule_set = getvariable('rule_set')
