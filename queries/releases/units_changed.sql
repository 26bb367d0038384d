-- One row per unit added or removed between two releases: change ('added': in the new release's
-- agencies.csv only; 'removed': in the previous one's only), agency_id, name (the release's that
-- has it). Units are told apart by agency_id; a renamed unit is neither.
-- Run by minhbach/publish/releases/changes.py on the two releases' agencies.csv, loaded as text.
-- reads: units_before, units_after
select
    case when b.agency_id is null then 'added' else 'removed' end as change,
    coalesce(a.agency_id, b.agency_id) as agency_id,
    coalesce(a.name, b.name) as name
from units_before as b
full join units_after as a on a.agency_id = b.agency_id
where a.agency_id is null or b.agency_id is null
order by change, agency_id
