-- One row per unit × indicator of the 766 index in the unit's page period (page_units.period):
-- the table of every indicator on its page /co-quan/<slug>/, by indicator code. Used by the
-- pages only, not published.
--
-- Columns: those of index_766, and row_order (1, 2, … within the unit, by indicator code).
-- reads: page_units, index_766
select i.*, row_number() over (partition by i.agency_id order by i.indicator) as row_order
from index_766 as i
inner join page_units as u
    on u.agency_id = i.agency_id and u.period = i.period and i.period_type = 'month'
order by i.agency_id, row_order
