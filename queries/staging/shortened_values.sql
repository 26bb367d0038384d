-- One row per value shown shortened: the name of a unit or procedure, or a procedure's field,
-- longer than 200 characters (methodology §9). Its row is kept, in every figure; pages and
-- downloads show the value cut by shown_name. Reads stg_agencies and stg_procedures (clean
-- rows only: a quarantined row shows no name). Lists the table, the row's key, the column and
-- the length as read, never the text itself (the data-quality page lists these rows).
-- reads: stg_agencies, stg_procedures
with cut as (
    select 'agencies' as "table", agency_id as key, 'name' as "column",
        name_full_length as original_length, _source as source, _line as line
    from stg_agencies
    where reject_reason is null and name_full_length > 200
    union all
    select 'procedures', procedure_id, 'name', name_full_length, _source, _line
    from stg_procedures
    where reject_reason is null and name_full_length > 200
    union all
    select 'procedures', procedure_id, 'field', field_full_length, _source, _line
    from stg_procedures
    where reject_reason is null and field_full_length > 200
),

final as (
    select
        "table",
        key,
        "column",
        original_length,
        case "column"
            when 'field' then 'lĩnh vực quá dài, đã rút gọn'
            else 'tên quá dài, đã rút gọn'
        end as note,
        source,
        line
    from cut
    order by "table", key, "column"
)

select * from final
