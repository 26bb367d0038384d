-- One row per count the national portal publishes for a unit's shown capture (page_portal_units)
-- beside its metrics: the TDGQ block's dossiers received, on time, overdue and average processing
-- days (stg_portal_tdgq), and the other counts of a group's block (stg_portal_totals: TTTT's
-- dossiers and procedures with fees, MDHL's dossiers and petitions), labelled by
-- seed_labels_portal_totals (a name it lacks is shown as published, as a count). value is empty
-- when the portal published null. Used by the pages only.
-- reads: page_portal_units, seed_groups, seed_labels_portal_totals, stg_portal_tdgq, stg_portal_totals
--
-- Columns: portal_code, group, group_name, label, kind (count, days, score), value
with shown as (
    select portal_code, period, captured_at
    from page_portal_units
),

tdgq as (
    -- One row per count of the block, null kept (unpivot would drop it).
    select
        t.portal_code,
        unnest([
            struct_pack(name := 'received', value := t.received),
            struct_pack(name := 'on_time', value := t.on_time),
            struct_pack(name := 'overdue', value := t.overdue),
            struct_pack(name := 'avg_days', value := t.avg_days)
        ], recursive := true)
    from stg_portal_tdgq as t
    inner join shown as s
        on s.portal_code = t.portal_code and s.period = t.period and s.captured_at = t.captured_at
),

totals as (
    select t.portal_code, t."group", t.name, t.value
    from stg_portal_totals as t
    inner join shown as s
        on s.portal_code = t.portal_code and s.period = t.period and s.captured_at = t.captured_at
),

counts as (
    select portal_code, 'TDGQ' as "group", name, value from tdgq
    union all
    select * from totals
),

final as (
    select
        c.portal_code,
        c."group",
        g.group_name,
        coalesce(l.label, c.name) as label,
        coalesce(l.kind, 'count') as kind,
        c.value,
        g.group_order,
        coalesce(l.total_order, 100) as total_order
    from counts as c
    left join seed_groups as g on g."group" = c."group"
    left join seed_labels_portal_totals as l on l."group" = c."group" and l.name = c.name
)

select portal_code, "group", group_name, label, kind, value
from final
order by portal_code, group_order, total_order, label
