-- One row per clean agency (unit), with its URL slug and the unit that stands for the whole
-- province. Slugs come from the name without diacritics (macro slugify: so-tu-phap); units
-- sharing a name get their parent's name appended, then their id (slugify_id), so every slug is
-- unique and stable. A slug is at most 200 characters (a folder and a file name:
-- co-quan/<slug>/<slug>.csv): a longer one (two long names alike in their first 200
-- characters, shown cut) keeps its start and its id.
-- If the input has no province-level unit, one is added (agency_id 'province') to carry the
-- province-wide figures.
-- reads: stg_agencies
with clean as (
    select agency_id, name, level, parent_id, valid_from, valid_to, successor_id
    from stg_agencies
    where reject_reason is null
),

with_province as (
    select *, false as synthetic_row from clean
    union all
    select
        'province', getvariable('province_name'), 'province', null, null, null, null, true
    where not exists (select 1 from clean where level = 'province')
),

slugged as (
    select
        a.*,
        slugify(a.name) as base_slug,
        slugify(coalesce(p.name, '')) as parent_slug,
        slugify_id(a.agency_id) as id_slug
    from with_province as a
    left join clean as p on p.agency_id = a.parent_id
),

step1 as (
    select
        *,
        case
            when count(*) over (partition by base_slug) > 1 and parent_slug <> ''
                then base_slug || '-' || parent_slug
            else base_slug
        end as slug1
    from slugged
),

step2 as (
    select
        *,
        case
            when count(*) over (partition by slug1) > 1 or slug1 = '' then
                case when slug1 = '' then id_slug else slug1 || '-' || id_slug end
            else slug1
        end as slug2
    from step1
),

step3 as (
    select
        *,
        case
            when length(slug2) <= 200 then slug2
            else rtrim(left(slug2, 199 - length(id_slug)), '-') || '-' || id_slug
        end as slug
    from step2
),

province as (
    select agency_id from with_province where level = 'province'
    order by parent_id is not null, agency_id
    limit 1
),

final as (
    select
        agency_id,
        name,
        slug,
        level,
        parent_id,
        valid_from,
        valid_to,
        successor_id,
        agency_id = (select agency_id from province) as is_province,
        synthetic_row
    from step3
)

select * from final
order by agency_id
