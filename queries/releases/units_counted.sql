-- One row: the number of units (distinct agency_id) in the previous release (units_before) and in
-- the new one (units_after).
-- Run by minhbach/publish/releases/changes.py on the two releases' agencies.csv, loaded as text.
-- reads: units_before, units_after
select
    (select count(distinct agency_id) from units_before) as before,
    (select count(distinct agency_id) from units_after) as after
