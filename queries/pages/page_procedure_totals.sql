-- One row per procedure with dossiers in the 12-month window of page_procedure_window: the
-- province unit's row (every unit's dossiers), shown as the key figures, the sentence and the
-- "Toàn tỉnh" line of its page /thu-tuc/<procedure_id>/. Used by the pages only, not published.
--
-- Columns: those of page_procedure_window.
-- reads: page_procedure_window, page_units
select w.*
from page_procedure_window as w
inner join page_units as u on u.agency_id = w.agency_id
where u.is_province
order by w.procedure_id
