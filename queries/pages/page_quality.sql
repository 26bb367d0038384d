-- One row: what the data-quality page says at its top (site.md, data quality: "the as-of
-- date"): where the as-of date comes from, and the dossiers read and quarantined (its
-- description). Used by the pages only, not published.
-- reads: as_of_date, input_quality
--
-- Columns:
--   as_of_source     argument (given to the build), latest_event (the latest event of the
--                    dossiers) or portal_capture (no dossiers: the latest capture of the portal)
--   dossiers         {rows_read, quarantined, quarantined_pct} of the dossiers table; empty
--                    when input_quality has no row for it
select
    a.as_of_source,
    (
        select {
            'rows_read': q.rows_read, 'quarantined': q.quarantined,
            'quarantined_pct': q.quarantined_pct
        }
        from input_quality as q
        where q.table_name = 'dossiers'
    ) as dossiers
from as_of_date as a
