-- One row per procedure × unit that received or resolved a dossier of the procedure in the
-- 12-month window, the province unit's own desk included (its own dossiers, not the province's
-- total): the table "Nơi giải quyết" of its page /thu-tuc/<procedure_id>/ (site.md: "where it
-- is handled"), with each unit's real processing days; the units with the most new dossiers
-- first, then by name. Used by the pages only, not published.
--
-- Columns:
--   procedure_id, agency_id, agency_name, slug, level, is_province
--   level_label    the unit's level in a table cell (seed_labels_index_levels.short: the
--                  province's desk is "Cấp tỉnh", not the province-wide "Toàn tỉnh")
--   received_new, resolved, resolved_on_time, on_time_pct, online_pct, median_days, p90_days
--                  page_procedure_window (the unit's own dossiers)
--   row_order      1, 2, 3, … within the procedure, in the order above
-- reads: page_procedure_window, page_units, seed_labels_index_levels
with levels as (
    select level, short from seed_labels_index_levels
),

final as (
    select
        w.procedure_id,
        w.agency_id,
        u.name as agency_name,
        u.slug,
        u.level,
        u.is_province,
        coalesce(l.short, u.level) as level_label,
        w.received_new,
        w.resolved,
        w.resolved_on_time,
        w.on_time_pct,
        w.online_pct,
        w.median_days,
        w.p90_days,
        row_number() over (
            partition by w.procedure_id order by w.received_new desc, u.name, w.agency_id
        ) as row_order
    from page_procedure_window as w
    inner join page_units as u on u.agency_id = w.agency_id
    left join levels as l on l.level = u.level
    where not w.is_total
)

select * from final
order by procedure_id, row_order
