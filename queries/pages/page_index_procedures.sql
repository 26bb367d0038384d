-- One row per procedure with a page (page_procedures): the lists of the index /thu-tuc/, A–Z
-- (grouped by first letter) and by field. Vietnamese order: names compared with the ICU
-- collation `vi` (Đ after D, Ă and Â after A, …); a name's letter is its first character in
-- capitals without its marks (Ấ → A), Đ kept apart (Đăng ký under Đ, after D), anything that
-- is not a letter under "#" (last). Used by the pages only, not published.
--
-- Columns:
--   procedure_id, page_dir, name, field
--   letter         the A–Z group: A, B, …, D, Đ, …, or #
--   letter_anchor  the group's HTML id: chu-a, …, chu-d, chu-dd (Đ), …, chu-khac (#)
--   letter_order   1, 2, … : the groups in Vietnamese order, # last
--   field_label    the field, else "Chưa rõ lĩnh vực"
--   field_anchor   the field's HTML id: linh-vuc-<the label's slug> (macro slugify)
--   field_order    1, 2, … : the fields in Vietnamese order, the unknown one last
--   received_new   new dossiers in the 12-month window, province-wide (page_procedure_totals;
--                  0 when none)
--   row_order      1, 2, … : the procedures A–Z (name, then id)
-- reads: page_procedure_totals, page_procedures
with procedures as (
    select
        p.procedure_id,
        p.page_dir,
        p.name,
        p.field,
        coalesce(t.received_new, 0) as received_new,
        strip_accents(upper(left(trim(p.name), 1))) as first_char
    from page_procedures as p
    left join page_procedure_totals as t on t.procedure_id = p.procedure_id
),

lettered as (
    select
        *,
        case when regexp_matches(first_char, '^[A-ZĐ]$') then first_char else '#' end as letter,
        coalesce(field, 'Chưa rõ lĩnh vực') as field_label
    from procedures
),

final as (
    select
        procedure_id,
        page_dir,
        name,
        field,
        letter,
        'chu-' || case letter when 'Đ' then 'dd' when '#' then 'khac' else lower(letter) end
            as letter_anchor,
        dense_rank() over (order by letter = '#', letter collate vi) as letter_order,
        field_label,
        'linh-vuc-' || slugify(field_label) as field_anchor,
        dense_rank() over (order by field is null, field_label collate vi) as field_order,
        received_new,
        row_number() over (order by trim(name) collate vi, name, procedure_id) as row_order
    from lettered
)

select * from final
order by row_order
