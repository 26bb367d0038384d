-- One row per file of the portal's evaluation the build read (stg_portal_captures): where every
-- figure of the portal's pages comes from. The file's path inside the portal folder, its shape
-- (national ranking, unit list, details, in words), the period, when it was captured (local time)
-- and how many units it lists. Read by the build (the first and last capture, stated on every
-- page) and listed on /danh-gia-cong/. Empty without portal files.
-- reads: seed_labels_portal_shapes, stg_portal_captures
--
-- Columns: file, shape_label, period, complete, captured_at, entries
with final as (
    select
        c.file,
        coalesce(l.label, c.shape) as shape_label,
        c.period,
        c.complete,
        c.captured_at,
        c.entries
    from stg_portal_captures as c
    left join seed_labels_portal_shapes as l on l.shape = c.shape
)

select * from final
order by captured_at, file
