-- One row per unit × procedure among the 10 procedures with the most late dossiers of the unit
-- in its page period (page_units.period; agency_procedure_late.late_rank 1..10): the table
-- "Thủ tục có nhiều hồ sơ trễ hạn nhất" of its page /co-quan/<slug>/ (site.md, unit scorecard:
-- "the procedures with the most late dossiers in the period, linked to their pages"), most
-- late first. Used by the pages only, not published.
--
-- Columns: those of agency_procedure_late; page_dir, the folder of the procedure's page
-- (page_procedures: every procedure with a late dossier has dossiers, hence a page); row_order
-- (= late_rank).
-- reads: page_units, agency_procedure_late, page_procedures
select l.*, p.page_dir, l.late_rank as row_order
from agency_procedure_late as l
inner join page_units as u
    on u.agency_id = l.agency_id and u.period = l.period and l.period_type = 'month'
left join page_procedures as p on p.procedure_id = l.procedure_id
where l.late_rank <= 10
order by l.agency_id, row_order
