-- One row per kind of check minhbach runs on the portal's published figures (the column check
-- of portal_checks: metric_points, metric_ratio, group_sum, total_sum, group_over_max), with its
-- label (seed_labels_portal_checks): the table of checks of the methodology page /phuong-phap/
-- (#cong-kiem-tra), whose words and tolerances (those of queries/marts/portal_checks.sql) the
-- template gives for each. Used by the pages only, not published.
-- reads: seed_labels_portal_checks
--
-- Columns: check, label, check_order
select "check", label, check_order
from seed_labels_portal_checks
order by check_order
