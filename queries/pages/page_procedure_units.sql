-- One row per procedure × unit (the province unit aside) that received or resolved a dossier of
-- the procedure in the 12-month window: the table "Nơi giải quyết" of its page
-- /thu-tuc/<procedure_id>/ (site.md: "where it is handled"), the units with the most new
-- dossiers first, then by name. Used by the pages only, not published.
--
-- Columns:
--   procedure_id, agency_id, agency_name, slug, level
--   level_tab      the unit's level as the ranking's tabs name it ("Sở, ban, ngành")
--   received_new, resolved, on_time_pct, online_pct     page_procedure_window
--   row_order      1, 2, 3, … within the procedure, in the order above
-- reads: page_procedure_window, page_units, seed_labels_levels
with levels as (
    select level, tab as level_tab from seed_labels_levels
)

select
    w.procedure_id,
    w.agency_id,
    u.name as agency_name,
    u.slug,
    u.level,
    coalesce(l.level_tab, u.level) as level_tab,
    w.received_new,
    w.resolved,
    w.on_time_pct,
    w.online_pct,
    row_number() over (
        partition by w.procedure_id order by w.received_new desc, u.name, w.agency_id
    ) as row_order
from page_procedure_window as w
inner join page_units as u on u.agency_id = w.agency_id
left join levels as l on l.level = u.level
where not u.is_province
order by w.procedure_id, row_order
