-- One row per value shown shortened (shortened_values: a name or field over 200 characters),
-- as the data-quality page lists them, with the table's label (seed_labels_input_tables; its
-- name when it has none). Used by the pages only, not published.
-- reads: shortened_values, seed_labels_input_tables
--
-- Columns: table, label, key, original_length, note
select
    s."table",
    coalesce(l.label, s."table") as label,
    s.key,
    s.original_length,
    s.note
from shortened_values as s
left join seed_labels_input_tables as l on l.table_name = s."table"
order by s."table", s.key, s."column"
