-- One row per unit × unit merged into it or renamed to it (its successor_id): the note
-- "Hình thành từ sáp nhập" of its page /co-quan/<slug>/ (site.md, unit scorecard:
-- "predecessors/successors, when the unit was merged or renamed"), in the order they were
-- merged (those without an end date first), then by name. Used by the pages only.
--
-- Columns:
--   agency_id                    the successor (whose page lists the row)
--   predecessor_id, name, slug   the unit merged into it
--   merged_on                    its first day in the successor (page_units.merged_on)
--   row_order                    1, 2, … within the successor, in the order above
-- reads: page_units
select
    p.successor_id as agency_id,
    p.agency_id as predecessor_id,
    p.name,
    p.slug,
    p.merged_on,
    row_number() over (
        partition by p.successor_id order by p.merged_on nulls first, p.name, p.agency_id
    ) as row_order
from page_units as p
where p.successor_id is not null
order by agency_id, row_order
