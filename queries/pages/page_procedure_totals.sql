-- One row per procedure with dossiers in the 12-month window of page_procedure_window: the
-- whole province's row (every unit's dossiers), shown as the key figures (the real processing
-- days first, beside the statutory limit), the sentence and the "Toàn tỉnh" line of its page
-- /thu-tuc/<procedure_id>/. Used by the pages only, not published.
--
-- Columns: those of page_procedure_window (agency_id: the province unit's id).
-- reads: page_procedure_window
select *
from page_procedure_window
where is_total
order by procedure_id
