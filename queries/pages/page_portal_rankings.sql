-- One row per unit of a province in the national portal's evaluation (page_portal_units: a
-- department or a commune, at its shown capture), for the province's page /danh-gia-cong/<slug>/:
-- its level (seed_labels_levels: tab and order), rank and rank_of within its level in that
-- capture (portal_scores: competition ranking by total), name, total, the six groups, and how many
-- of the portal's own checks it fails there. Units without a rank (no total) come last in their
-- level. Used by the pages only.
-- reads: page_portal_units, seed_labels_levels
--
-- Columns: province_code, level, level_tab, level_order, rank, rank_of, slug, name, total,
-- CKMB … MDHL, period, complete, captured_at, failed_checks
with final as (
    select
        u.province_code,
        u.level,
        coalesce(l.tab, u.level) as level_tab,
        coalesce(l.level_order, 9) as level_order,
        u.rank,
        u.rank_of,
        u.slug,
        u.name,
        u.total,
        u.CKMB,
        u.TDGQ,
        u.CLGQ,
        u.TTTT,
        u.MDSH,
        u.MDHL,
        u.period,
        u.complete,
        u.captured_at,
        u.failed_checks
    from page_portal_units as u
    left join seed_labels_levels as l on l.level = u.level
    where not u.is_province and u.province_code is not null
)

select * from final
order by province_code, level_order, rank nulls last, name
