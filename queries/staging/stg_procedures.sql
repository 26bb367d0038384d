-- One row per row of the procedures input (the TTHC catalogue), typed, with reject_reason.
-- online_level: full/partial/none, or the old levels 4/3/2/1 (4 = full, 3 = partial, else none);
-- empty means none. statutory_days: working days, optional, non-negative.
-- A procedure's page lives at thu-tuc/<id>/ (ids that are not URL-safe get tt-<id as words>/,
-- macro procedure_dir): an id over 64 characters, or two ids that would share a folder,
-- are quarantined. A name or field over 200 characters keeps its row: name and field are as
-- shown, cut to 200 characters (shown_name); name_full_length and field_full_length are the
-- lengths as read (shortened_values lists cuts).
-- for_citizens and citizen_data_connected (the portal's CITIZEN_DATA_CONNECTED_FORMALITY:
-- procedures for citizens, and those connected to the population database) are NULL when empty
-- (unknown: no default); an invalid value is quarantined, as every boolean.
-- reads: raw_procedures
with src as (
    select
        *,
        clean_text(procedure_id) as id_clean,
        count(*) over (partition by clean_text(procedure_id)) as id_copies
    from raw_procedures
),

foldered as (
    select
        *,
        procedure_dir(id_clean) as page_dir
    from src
),

folders as (
    select
        *,
        count(distinct id_clean) over (partition by page_dir) as page_dir_ids
    from foldered
),

typed as (
    select
        _source,
        _line,
        id_clean as procedure_id,
        shown_name(clean_name(name)) as name,
        shown_name(clean_name(field)) as field,
        length(clean_name(name)) as name_full_length,
        length(clean_name(field)) as field_full_length,
        case
            when norm_word(online_level) is null then 'none'
            when norm_word(online_level) in ('full', '4', 'mức độ 4', 'toàn trình', 'toan trinh')
                then 'full'
            when norm_word(online_level) in ('partial', '3', 'mức độ 3', 'một phần', 'mot phan')
                then 'partial'
            when norm_word(online_level) in ('none', '2', '1', 'mức độ 2', 'mức độ 1', 'không')
                then 'none'
        end as online_level,
        clean_text(online_level) as online_level_raw,
        parse_number(statutory_days) as statutory_days,
        coalesce(parse_bool(has_fee), false) as has_fee,
        coalesce(parse_bool(online_payment_enabled), false) as online_payment_enabled,
        coalesce(parse_bool(issues_result_document), true) as issues_result_document,
        parse_bool(for_citizens) as for_citizens,
        parse_bool(citizen_data_connected) as citizen_data_connected,
        id_copies,
        page_dir_ids,
        number_invalid(statutory_days) as bad_days,
        bool_invalid(has_fee) as bad_fee,
        bool_invalid(online_payment_enabled) as bad_payment,
        bool_invalid(issues_result_document) as bad_result_doc,
        bool_invalid(for_citizens) as bad_for_citizens,
        bool_invalid(citizen_data_connected) as bad_citizen_data
    from folders
),

final as (
    select
        procedure_id, name, field, online_level, statutory_days, has_fee,
        online_payment_enabled, issues_result_document, for_citizens, citizen_data_connected,
        name_full_length, field_full_length,
        coalesce(
            case when procedure_id is null then 'thiếu mã thủ tục (procedure_id)' end,
            case when name is null then 'thiếu tên thủ tục (name)' end,
            case when id_copies > 1 then 'mã thủ tục trùng lặp (procedure_id)' end,
            case
                when length(procedure_id) > 64 then 'mã thủ tục dài hơn 64 ký tự (procedure_id)'
            end,
            case
                when page_dir_ids > 1
                    then 'mã thủ tục chỉ khác mã thủ tục khác ở dấu câu (procedure_id)'
            end,
            case when online_level is null then 'mức độ trực tuyến không hợp lệ (online_level)' end,
            case
                when bad_days or statutory_days < 0
                    then 'số ngày giải quyết không hợp lệ (statutory_days)'
            end,
            case when bad_fee then 'giá trị đúng/sai không hợp lệ ở cột has_fee' end,
            case
                when bad_payment then 'giá trị đúng/sai không hợp lệ ở cột online_payment_enabled'
            end,
            case
                when bad_result_doc then 'giá trị đúng/sai không hợp lệ ở cột issues_result_document'
            end,
            case when bad_for_citizens then 'giá trị đúng/sai không hợp lệ ở cột for_citizens' end,
            case
                when bad_citizen_data
                    then 'giá trị đúng/sai không hợp lệ ở cột citizen_data_connected'
            end
        ) as reject_reason,
        _source,
        _line
    from typed
)

select * from final
