-- One row per group of the Decision 766 index (methodology §3), in order: the groups every page
-- names (the ranking tables' columns, the methodology's group table). Used by the pages only,
-- not published.
-- reads: seed_groups
--
-- Columns:
--   group, group_order, group_name, max_points      seed_groups
select
    "group",
    group_order,
    group_name,
    max_points
from seed_groups
order by group_order
