-- One row per contract table, by name: the rows read and quarantined the data-quality page
-- /chat-luong-du-lieu/ lists (site.md: "rows read and quarantined per table"), with the table's
-- label (seed_labels_input_tables; its name when it has none). Used by the pages only.
-- reads: input_quality, seed_labels_input_tables
--
-- Columns: table_name, label, present, files, rows_read, quarantined, quarantined_pct
select
    q.table_name,
    coalesce(l.label, q.table_name) as label,
    q.present,
    q.files,
    q.rows_read,
    q.quarantined,
    q.quarantined_pct
from input_quality as q
left join seed_labels_input_tables as l on l.table_name = q.table_name
order by q.table_name
