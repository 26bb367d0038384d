-- One row: what the history page /lich-su/ and the home page state about the data of this
-- release (site.md: "earlier releases ... and what changed"): units, procedures with dossiers,
-- valid dossiers. Used by the pages only, not published.
-- reads: dim_agencies, procedure_metrics, input_quality
--
-- Columns:
--   units          units of dim_agencies (every unit with a page)
--   procedures     procedures with figures (procedure_metrics: every procedure with a page)
--   dossiers       dossiers used (input_quality.rows_used of the dossiers table)
select
    (select count(*) from dim_agencies) as units,
    (select count(distinct procedure_id) from procedure_metrics) as procedures,
    (select rows_used from input_quality where table_name = 'dossiers') as dossiers
