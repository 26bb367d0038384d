-- One row per address a renamed unit leaves behind: old_slug (the unit's slug in an earlier
-- release's agencies.csv) and new_slug (its slug now, in dim_agencies), for every unit whose slug
-- changed; a slug some unit uses now is never an old address. When earlier releases gave one old
-- slug to different units, the latest release (the highest release_order) says where it goes
-- (a release gives a slug to one unit only). By old_slug.
-- Run by minhbach/publish/releases/changes.py: release_slugs holds the earlier releases'
-- release_order, agency_id and slug; current_slugs the build's agency_id and slug.
-- reads: release_slugs, current_slugs
with moved as (
    select
        r.slug as old_slug,
        c.slug as new_slug,
        row_number() over (
            partition by r.slug order by r.release_order desc, c.slug
        ) as latest
    from release_slugs as r
    inner join current_slugs as c on c.agency_id = r.agency_id
    where
        r.slug <> ''
        and c.slug <> ''
        and r.slug <> c.slug
        and r.slug not in (select slug from current_slugs where slug is not null)
)

select
    old_slug,
    new_slug
from moved
where latest = 1
order by old_slug
