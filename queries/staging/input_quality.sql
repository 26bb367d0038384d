-- One row per contract table: whether it was supplied, rows read and rows quarantined
-- (the data-quality report; the build stops above max_quarantine_pct).
-- reads: input_tables, quarantine
with q as (
    select "table", count(*) as quarantined from quarantine group by "table"
),

final as (
    select
        i.table_name,
        i.present,
        i.files,
        i.rows_read,
        coalesce(q.quarantined, 0) as quarantined,
        i.rows_read - coalesce(q.quarantined, 0) as rows_used,
        pct(coalesce(q.quarantined, 0), i.rows_read) as quarantined_pct
    from input_tables as i
    left join q on q."table" = i.table_name
)

select * from final
