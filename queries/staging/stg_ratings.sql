-- One row per row of the ratings input (đánh giá hài lòng), typed, with reject_reason.
-- rating: 1-5 or the Vietnamese words (5 rất hài lòng ... 1 rất không hài lòng).
-- A rating belongs to its dossier's agency, else to its own agency_id (methodology §2).
-- reads: raw_ratings, stg_agencies, stg_dossiers
with repeated_ids as (
    select clean_text(rating_id) as rating_id
    from raw_ratings
    where clean_text(rating_id) is not null
    group by 1
    having count(*) > 1
),

src as (
    select
        _source,
        _line,
        clean_text(rating_id) as rating_id,
        clean_text(dossier_id) as dossier_id,
        clean_text(agency_id) as agency_id_raw,
        rated_at as rated_raw,
        parse_ts(rated_at) as rated_at,
        norm_word(rating) as rating_raw,
        clean_text(rating_id) in (select rating_id from repeated_ids) as repeated_id
    from raw_ratings
),

typed as (
    select
        s.*,
        case
            when list_contains(['5', 'rất hài lòng', 'rat hai long'], s.rating_raw) then 5
            when list_contains(['4', 'hài lòng', 'hai long'], s.rating_raw) then 4
            when list_contains(['3', 'bình thường', 'binh thuong'], s.rating_raw) then 3
            when list_contains(['2', 'không hài lòng', 'khong hai long'], s.rating_raw) then 2
            when list_contains(['1', 'rất không hài lòng', 'rat khong hai long'], s.rating_raw) then 1
        end as rating,
        d.agency_id as dossier_agency_id,
        s.dossier_id in (select dossier_id from stg_dossiers) as dossier_found,
        d.dossier_id is null as dossier_not_clean
    from src as s
    -- Clean dossier ids are unique (every copy of a repeated id is quarantined).
    left join stg_dossiers as d on d.dossier_id = s.dossier_id and d.reject_reason is null
),

final as (
    select
        rating_id,
        dossier_id,
        coalesce(dossier_agency_id, agency_id_raw) as agency_id,
        rated_at,
        rating,
        coalesce(
            case when repeated_id then 'mã đánh giá trùng lặp (rating_id)' end,
            case when rated_at is null and clean_text(rated_raw) is not null then 'ngày giờ không hợp lệ ở cột rated_at' end,
            case when rated_at is null then 'thiếu thời gian đánh giá (rated_at)' end,
            case when rated_at < timestamp '2000-01-01' then 'ngày giờ trước năm 2000' end,
            case when rating_raw is null then 'thiếu mức đánh giá (rating)' end,
            case when rating is null then 'mức đánh giá không hợp lệ (rating)' end,
            case when dossier_id is not null and not dossier_found then 'hồ sơ không có trong dữ liệu (dossier_id)' end,
            case when dossier_id is not null and dossier_not_clean then 'hồ sơ liên quan bị cách ly (dossier_id)' end,
            case when dossier_id is null and agency_id_raw is null then 'thiếu mã hồ sơ và mã đơn vị' end,
            case
                when dossier_id is null
                    and agency_id_raw not in (select agency_id from stg_agencies where agency_id is not null)
                    then 'đơn vị không có trong danh mục (agency_id)'
                when dossier_id is null
                    and agency_id_raw not in (select agency_id from stg_agencies where reject_reason is null)
                    then 'đơn vị bị cách ly (agency_id)'
            end
        ) as reject_reason,
        _source,
        _line
    from typed
)

select * from final
