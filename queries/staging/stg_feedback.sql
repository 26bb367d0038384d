-- One row per row of the feedback input (phản ánh, kiến nghị: PAKN), typed, with reject_reason.
-- citizen_satisfied: NULL means no verdict. topic: procedure / staff / other.
-- reads: as_of_date, raw_feedback, stg_agencies, stg_dossiers
with src as (
    select
        _source,
        _line,
        clean_text(feedback_id) as feedback_id,
        clean_text(agency_id) as agency_id,
        clean_text(dossier_id) as dossier_id,
        received_at as received_raw,
        due_at as due_raw,
        resolved_at as resolved_raw,
        parse_ts(received_at) as received_at,
        parse_ts(due_at) as due_at,
        parse_ts(resolved_at) as resolved_at,
        citizen_satisfied as satisfied_raw,
        parse_bool(citizen_satisfied) as citizen_satisfied,
        norm_word(topic) as topic_raw,
        count(*) over (partition by clean_text(feedback_id)) as id_copies
    from raw_feedback
),

typed as (
    select
        *,
        case
            when topic_raw is null then null
            when topic_raw in ('procedure', 'thủ tục', 'thu tuc') then 'procedure'
            when topic_raw in ('staff', 'cán bộ', 'can bo') then 'staff'
            when topic_raw in ('other', 'khác', 'khac') then 'other'
            else 'invalid'
        end as topic
    from src
),

final as (
    select
        feedback_id, agency_id, dossier_id, received_at, due_at, resolved_at,
        citizen_satisfied, topic,
        coalesce(
            case when feedback_id is null then 'thiếu mã phản ánh (feedback_id)' end,
            case when id_copies > 1 then 'mã phản ánh trùng lặp (feedback_id)' end,
            case when agency_id is null then 'thiếu mã đơn vị (agency_id)' end,
            case
                when agency_id not in (select agency_id from stg_agencies where agency_id is not null)
                    then 'đơn vị không có trong danh mục (agency_id)'
                when agency_id not in (select agency_id from stg_agencies where reject_reason is null)
                    then 'đơn vị bị cách ly (agency_id)'
            end,
            case
                when dossier_id not in (select dossier_id from stg_dossiers where dossier_id is not null)
                    then 'hồ sơ không có trong dữ liệu (dossier_id)'
                when dossier_id not in (select dossier_id from stg_dossiers where reject_reason is null)
                    then 'hồ sơ liên quan bị cách ly (dossier_id)'
            end,
            case when received_at is null and clean_text(received_raw) is not null then 'ngày giờ không hợp lệ ở cột received_at' end,
            case when due_at is null and clean_text(due_raw) is not null then 'ngày giờ không hợp lệ ở cột due_at' end,
            case when resolved_at is null and clean_text(resolved_raw) is not null then 'ngày giờ không hợp lệ ở cột resolved_at' end,
            case when received_at is null then 'thiếu ngày tiếp nhận (received_at)' end,
            case when due_at is null then 'thiếu hạn xử lý (due_at)' end,
            case
                when least(received_at, due_at, coalesce(resolved_at, received_at)) < timestamp '2000-01-01'
                    then 'ngày giờ trước năm 2000'
            end,
            case
                when greatest(cast(received_at as date), coalesce(cast(resolved_at as date), date '0001-01-01'))
                    > (select as_of from as_of_date)
                    then 'ngày sự kiện sau ngày chốt số liệu'
            end,
            case when due_at < received_at then 'hạn xử lý trước ngày tiếp nhận' end,
            case when resolved_at < received_at then 'ngày xử lý trước ngày tiếp nhận' end,
            case when bool_invalid(satisfied_raw) then 'giá trị đúng/sai không hợp lệ ở cột citizen_satisfied' end,
            case when topic = 'invalid' then 'phân loại không hợp lệ (topic)' end
        ) as reject_reason,
        _source,
        _line
    from typed
)

select * from final
