-- One row per unit with an agency_open_age row in its page period (page_units.period): the
-- dossiers still open at the end of that month by days past due (site.md, unit scorecard: "open
-- dossiers by age past due"). Used by the pages only, not published.
--
-- Columns: those of agency_open_age.
-- reads: page_units, agency_open_age
select a.*
from agency_open_age as a
inner join page_units as u
    on u.agency_id = a.agency_id and u.period = a.period and a.period_type = 'month'
order by a.agency_id
