-- One row per row of the procedure_publications input: one procedure announced / made public
-- by an agency (indicators 1.1-1.3), typed, with reject_reason.
-- reads: raw_procedure_publications, stg_agencies, stg_procedures
with src as (
    select
        _source,
        _line,
        clean_text(agency_id) as agency_id,
        clean_text(procedure_id) as procedure_id,
        publish_due as publish_due_raw,
        published_at as published_raw,
        public_due as public_due_raw,
        made_public_at as made_public_raw,
        content_complete as complete_raw,
        cast(parse_ts(publish_due) as date) as publish_due,
        cast(parse_ts(published_at) as date) as published_at,
        cast(parse_ts(public_due) as date) as public_due,
        cast(parse_ts(made_public_at) as date) as made_public_at,
        coalesce(parse_bool(content_complete), false) as content_complete
    from raw_procedure_publications
),

final as (
    select
        agency_id, procedure_id, publish_due, published_at, public_due, made_public_at,
        content_complete,
        coalesce(
            case when agency_id is null then 'thiếu mã đơn vị (agency_id)' end,
            case when procedure_id is null then 'thiếu mã thủ tục (procedure_id)' end,
            case
                when agency_id not in (select agency_id from stg_agencies where agency_id is not null)
                    then 'đơn vị không có trong danh mục (agency_id)'
                when agency_id not in (select agency_id from stg_agencies where reject_reason is null)
                    then 'đơn vị bị cách ly (agency_id)'
            end,
            case
                when procedure_id not in (select procedure_id from stg_procedures where procedure_id is not null)
                    then 'thủ tục không có trong danh mục (procedure_id)'
            end,
            case when ts_invalid(publish_due_raw) then 'ngày không hợp lệ ở cột publish_due' end,
            case when ts_invalid(published_raw) then 'ngày không hợp lệ ở cột published_at' end,
            case when ts_invalid(public_due_raw) then 'ngày không hợp lệ ở cột public_due' end,
            case when ts_invalid(made_public_raw) then 'ngày không hợp lệ ở cột made_public_at' end,
            case when bool_invalid(complete_raw) then 'giá trị đúng/sai không hợp lệ ở cột content_complete' end
        ) as reject_reason,
        _source,
        _line
    from src
)

select * from final
