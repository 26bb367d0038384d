-- One row per metric of the portal's 2026 rule set (qd766-2026) whose rule is not confirmed on
-- the portal's published figures (seed_rule_set.confirmed false), with the seed's note saying
-- why: the list "what is not confirmed" of the methodology page /phuong-phap/ (#cong-chi-so).
-- Used by the pages only, not published.
-- reads: seed_rule_set
--
-- Columns: indicator, indicator_name, group, note (seed_rule_set), in the rule set's order
select indicator, indicator_name, "group", note
from seed_rule_set
where rule_set = 'qd766-2026' and not confirmed
order by indicator_order
