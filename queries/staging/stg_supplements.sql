-- One row per row of the supplements input: one supplementation round (yêu cầu bổ sung).
-- Rules: dossier_id must name a clean dossier; requested_at required; supplied_at, if set, not
-- before requested_at; valid timestamps.
-- reads: raw_supplements, stg_dossiers
with src as (
    select
        _source,
        _line,
        clean_text(dossier_id) as dossier_id,
        requested_at as requested_raw,
        supplied_at as supplied_raw,
        new_due_at as new_due_raw,
        parse_ts(requested_at) as requested_at,
        parse_ts(supplied_at) as supplied_at,
        parse_ts(new_due_at) as new_due_at
    from raw_supplements
),

final as (
    select
        dossier_id, requested_at, supplied_at, new_due_at,
        coalesce(
            case when dossier_id is null then 'thiếu mã hồ sơ (dossier_id)' end,
            case
                when dossier_id not in (select dossier_id from stg_dossiers where dossier_id is not null)
                    then 'hồ sơ không có trong dữ liệu (dossier_id)'
                when dossier_id not in (select dossier_id from stg_dossiers where reject_reason is null)
                    then 'hồ sơ liên quan bị cách ly (dossier_id)'
            end,
            case when requested_at is null and clean_text(requested_raw) is not null then 'ngày giờ không hợp lệ ở cột requested_at' end,
            case when requested_at is null then 'thiếu ngày yêu cầu bổ sung (requested_at)' end,
            case when supplied_at is null and clean_text(supplied_raw) is not null then 'ngày giờ không hợp lệ ở cột supplied_at' end,
            case when new_due_at is null and clean_text(new_due_raw) is not null then 'ngày giờ không hợp lệ ở cột new_due_at' end,
            case
                when least(requested_at, coalesce(supplied_at, requested_at),
                           coalesce(new_due_at, requested_at)) < timestamp '2000-01-01'
                    then 'ngày giờ trước năm 2000'
            end,
            case when supplied_at < requested_at then 'ngày bổ sung trước ngày yêu cầu' end
        ) as reject_reason,
        _source,
        _line
    from src
)

select * from final
