-- One row per unit with a page (page_units): the lists of the index /co-quan/, by level
-- (seed_labels_index_levels: the province, departments, districts, communes) and A–Z. A unit
-- is sorted and lettered by its name without the words that say its kind
-- (seed_labels_unit_prefixes, the longest that matches: Xã An Linh under A, Sở Tư pháp under
-- T), in Vietnamese order (ICU collation `vi`: Đ after D); its letter is that name's first
-- character in capitals without its marks, Đ kept apart, "#" for anything that is not a
-- letter (last). Used by the pages only, not published.
--
-- Columns:
--   agency_id, name, slug, level, valid_to, successor_name, successor_slug   page_units
--   sort_name      the name without its kind's words (the whole name when none matches)
--   letter, letter_anchor (chu-a, …, chu-dd for Đ, chu-khac for #), letter_order (# last)
--   level_heading, level_anchor (cap-<level>), level_order   seed_labels_index_levels (a level
--                  the seed lacks: its code, after the others)
--   row_order      1, 2, … : A–Z over every unit (sort_name, then name, then id)
--   level_row_order 1, 2, … within the level, in the same order
-- reads: page_units, seed_labels_index_levels, seed_labels_unit_prefixes
with units as (
    select agency_id, name, slug, level, valid_to, successor_name, successor_slug
    from page_units
),

prefixes as (
    select prefix from seed_labels_unit_prefixes
),

stripped as (
    select
        u.agency_id,
        coalesce(
            trim(arg_max(substr(u.name, length(p.prefix) + 2), length(p.prefix))
                filter (where p.prefix is not null)),
            any_value(u.name)
        ) as sort_name
    from units as u
    left join prefixes as p on starts_with(u.name, p.prefix || ' ')
    group by u.agency_id
),

lettered as (
    select
        u.*,
        s.sort_name,
        case
            when regexp_matches(strip_accents(upper(left(s.sort_name, 1))), '^[A-ZĐ]$')
                then strip_accents(upper(left(s.sort_name, 1)))
            else '#'
        end as letter
    from units as u
    inner join stripped as s on s.agency_id = u.agency_id
),

levels as (
    select level, level_order, heading from seed_labels_index_levels
),

final as (
    select
        u.agency_id,
        u.name,
        u.slug,
        u.level,
        u.valid_to,
        u.successor_name,
        u.successor_slug,
        u.sort_name,
        u.letter,
        'chu-' || case u.letter when 'Đ' then 'dd' when '#' then 'khac' else lower(u.letter) end
            as letter_anchor,
        dense_rank() over (order by u.letter = '#', u.letter collate vi) as letter_order,
        coalesce(lv.heading, u.level) as level_heading,
        'cap-' || u.level as level_anchor,
        dense_rank() over (order by coalesce(lv.level_order, 1000), u.level) as level_order,
        row_number() over (order by u.sort_name collate vi, u.name, u.agency_id) as row_order,
        row_number() over (
            partition by u.level order by u.sort_name collate vi, u.name, u.agency_id
        ) as level_row_order
    from lettered as u
    left join levels as lv on lv.level = u.level
)

select * from final
order by row_order
