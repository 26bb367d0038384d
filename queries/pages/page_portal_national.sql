-- One row per province of the latest national ranking captured from the portal
-- (portal_provinces at its latest captured_at), for /toan-quoc/: in the portal's order
-- (position), with its rank by total (competition ranking), total, the six groups, score_delta as
-- published, its page (slug: /danh-gia-cong/<slug>/) and whether the build has its units
-- (has_units: the portal's lists of its departments or communes). Empty without a national
-- ranking. Used by the pages only.
-- reads: page_portal_units, portal_provinces
--
-- Columns: position, rank, rank_of, portal_code, slug, name, total, CKMB … MDHL, score_delta,
-- period, complete, captured_at, has_units
with latest as (
    select max(captured_at) as captured_at
    from portal_provinces
),

with_units as (
    select distinct province_code
    from page_portal_units
    where not is_province
),

final as (
    select
        p.position,
        p.rank,
        p.rank_of,
        p.portal_code,
        slugify_id(p.portal_code) as slug,
        p.name,
        p.total,
        p.CKMB,
        p.TDGQ,
        p.CLGQ,
        p.TTTT,
        p.MDSH,
        p.MDHL,
        p.score_delta,
        p.period,
        p.complete,
        p.captured_at,
        w.province_code is not null as has_units
    from portal_provinces as p
    inner join latest as l on l.captured_at = p.captured_at
    left join with_units as w on w.province_code = p.portal_code
)

select * from final
order by position
