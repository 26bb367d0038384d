-- One row per row of the dossiers input (hồ sơ), typed, with reject_reason NULL when clean.
-- Row rules (data contract, dossiers): required values; status 1-10; known agency and procedure
-- (clean rows of their tables); received_at and due_at required unless status is 1 or 3;
-- finished_at required for 7, 8, 9, and for 10 unless returned_at is set; due_at, finished_at
-- and returned_at not before received_at; no event timestamp after the as-of date; no timestamp
-- before 2000-01-01; valid enums and booleans; dossier_id unique (every copy of a repeated id
-- is quarantined). The first broken rule is the row's reason.
-- reads: raw_dossiers, stg_agencies, stg_procedures
with repeated_hashes as (
    -- the hashes of the ids that repeat, grouped as numbers (cheaper than the ids' text)
    select hash(clean_text(dossier_id)) as id_hash
    from raw_dossiers
    group by 1
    having count(*) > 1
),

repeated_ids as (
    -- every copy of a repeated id has a repeated hash: only those few rows are grouped by id
    select clean_text(dossier_id) as dossier_id
    from raw_dossiers
    where hash(clean_text(dossier_id)) in (select id_hash from repeated_hashes)
    group by 1
    having count(*) > 1
),

src as (
    select
        _source,
        _line,
        clean_text(dossier_id) as dossier_id,
        clean_text(agency_id) as agency_id,
        clean_text(procedure_id) as procedure_id,
        norm_word(channel) as channel_raw,
        clean_text(status) as status_raw,
        submitted_at as submitted_raw,
        received_at as received_raw,
        due_at as due_raw,
        finished_at as finished_raw,
        returned_at as returned_raw,
        return_method as return_method_raw,
        paid_online as paid_online_raw,
        applicant_type as applicant_type_raw,
        synced_national as synced_raw,
        digitized as digitized_raw,
        reused_data as reused_raw,
        from_personal_store as store_raw,
        e_result as e_result_raw,
        vneid_verified as vneid_raw
    from raw_dossiers
),

typed as (
    select
        *,
        case
            when channel_raw is null then 1
            when list_contains(['1', 'direct', 'trực tiếp', 'truc tiep'], channel_raw) then 1
            when list_contains(['2', 'online', 'trực tuyến', 'truc tuyen'], channel_raw) then 2
            when list_contains(
                ['3', 'postal', 'bưu chính', 'buu chinh', 'bưu chính công ích'], channel_raw
            ) then 3
        end as channel,
        parse_int(status_raw) as status,
        parse_ts(submitted_raw) as submitted_at,
        parse_ts(received_raw) as received_at,
        parse_ts(due_raw) as due_at,
        parse_ts(finished_raw) as finished_at,
        parse_ts(returned_raw) as returned_at,
        parse_int(return_method_raw) as return_method,
        parse_int(paid_online_raw) as paid_online,
        parse_int(applicant_type_raw) as applicant_type,
        parse_bool(synced_raw) as synced_bool,
        parse_bool(digitized_raw) as digitized_bool,
        parse_bool(reused_raw) as reused_bool,
        parse_bool(store_raw) as store_bool,
        parse_bool(e_result_raw) as e_result_bool,
        parse_bool(vneid_raw) as vneid_bool,
        clean_text(submitted_raw) is not null as has_submitted,
        clean_text(received_raw) is not null as has_received,
        clean_text(due_raw) is not null as has_due,
        clean_text(finished_raw) is not null as has_finished,
        clean_text(returned_raw) is not null as has_returned,
        clean_text(return_method_raw) is not null as has_return_method,
        clean_text(paid_online_raw) is not null as has_paid_online,
        clean_text(applicant_type_raw) is not null as has_applicant_type,
        clean_text(synced_raw) is not null as has_synced,
        clean_text(digitized_raw) is not null as has_digitized,
        clean_text(reused_raw) is not null as has_reused,
        clean_text(store_raw) is not null as has_store,
        clean_text(e_result_raw) is not null as has_e_result,
        clean_text(vneid_raw) is not null as has_vneid,
        dossier_id in (select dossier_id from repeated_ids) as repeated_id
    from src
),

dated as (
    select
        t.*,
        least(
            coalesce(submitted_at, timestamp '9999-12-31'),
            coalesce(received_at, timestamp '9999-12-31'),
            coalesce(due_at, timestamp '9999-12-31'),
            coalesce(finished_at, timestamp '9999-12-31'),
            coalesce(returned_at, timestamp '9999-12-31')
        ) as earliest_ts,
        latest_event_day(submitted_at, received_at, finished_at, returned_at) as latest_event_date
    from typed as t
),

-- The data's as-of date (data contract, "As-of date and periods"): --as-of when given, else the
-- latest event date (submitted, received, finished, returned; never a due date) that is not after
-- the build date and not before 2000, so a mistyped year 2099 cannot move it.
as_of_row as (
    select coalesce(
        cast(getvariable('as_of_arg') as date),
        max(latest_event_date) filter (
            where latest_event_date <= cast(getvariable('build_date') as date)
                and latest_event_date >= date '2000-01-01'
        )
    ) as as_of
    -- (parsed again here rather than read from dated: reading dated twice would make DuckDB
    -- keep all of it in memory; not at all when --as-of is given)
    from (
        select latest_event_day(
            parse_ts(submitted_at), parse_ts(received_at), parse_ts(finished_at),
            parse_ts(returned_at)
        ) as latest_event_date
        from raw_dossiers
        where getvariable('as_of_arg') is null
    )
),

with_as_of as (
    select dated.*, as_of_row.as_of from dated cross join as_of_row
),

checked as (
    select
        *,
        coalesce(
            case when dossier_id is null then 'thiếu mã hồ sơ (dossier_id)' end,
            case when status_raw is null then 'thiếu trạng thái (status)' end,
            case
                when status is null or status not between 1 and 10
                    then 'trạng thái ngoài 1–10 (status)'
            end,
            case when agency_id is null then 'thiếu mã đơn vị (agency_id)' end,
            case when procedure_id is null then 'thiếu mã thủ tục (procedure_id)' end,
            case
                when agency_id not in (select agency_id from stg_agencies where agency_id is not null)
                    then 'đơn vị không có trong danh mục (agency_id)'
                when agency_id not in (
                    select agency_id from stg_agencies where reject_reason is null
                ) then 'đơn vị bị cách ly (agency_id)'
            end,
            case
                when procedure_id not in (
                    select procedure_id from stg_procedures where procedure_id is not null
                ) then 'thủ tục không có trong danh mục (procedure_id)'
                when procedure_id not in (
                    select procedure_id from stg_procedures where reject_reason is null
                ) then 'thủ tục bị cách ly (procedure_id)'
            end,
            case when channel is null then 'kênh không hợp lệ (channel)' end,
            case when submitted_at is null and has_submitted then 'ngày giờ không hợp lệ ở cột submitted_at' end,
            case when received_at is null and has_received then 'ngày giờ không hợp lệ ở cột received_at' end,
            case when due_at is null and has_due then 'ngày giờ không hợp lệ ở cột due_at' end,
            case when finished_at is null and has_finished then 'ngày giờ không hợp lệ ở cột finished_at' end,
            case when returned_at is null and has_returned then 'ngày giờ không hợp lệ ở cột returned_at' end,
            case
                when received_at is null and status not in (1, 3)
                    then 'thiếu ngày tiếp nhận (received_at)'
            end,
            case
                when due_at is null and status not in (1, 3) then 'thiếu ngày hẹn trả (due_at)'
            end,
            case
                when finished_at is null and status in (7, 8, 9)
                    then 'thiếu ngày kết thúc xử lý (finished_at)'
            end,
            case
                when finished_at is null and returned_at is null and status = 10
                    then 'thiếu ngày kết thúc xử lý và ngày trả (finished_at, returned_at)'
            end,
            case
                when status = 3
                    and coalesce(submitted_at, received_at, finished_at, returned_at) is null
                    then 'thiếu ngày cho hồ sơ không được tiếp nhận'
            end,
            case
                when earliest_ts < timestamp '2000-01-01' then 'ngày giờ trước năm 2000'
            end,
            case
                when latest_event_date > as_of then 'ngày sự kiện sau ngày chốt số liệu'
            end,
            case when due_at < received_at then 'ngày hẹn trả trước ngày tiếp nhận' end,
            case
                when finished_at < received_at and status between 7 and 10
                    then 'ngày kết thúc trước ngày tiếp nhận'
            end,
            case when returned_at < received_at then 'ngày trả trước ngày tiếp nhận' end,
            case
                when (has_return_method and return_method is null) or return_method not in (0, 1)
                    then 'hình thức trả không hợp lệ (return_method)'
            end,
            case
                when (has_paid_online and paid_online is null) or paid_online not in (0, 1, 2)
                    then 'giá trị không hợp lệ ở cột paid_online'
            end,
            case
                when (has_applicant_type and applicant_type is null) or applicant_type not between 1 and 4
                    then 'loại đối tượng không hợp lệ (applicant_type)'
            end,
            case when has_synced and synced_bool is null then 'giá trị đúng/sai không hợp lệ ở cột synced_national' end,
            case when has_digitized and digitized_bool is null then 'giá trị đúng/sai không hợp lệ ở cột digitized' end,
            case when has_reused and reused_bool is null then 'giá trị đúng/sai không hợp lệ ở cột reused_data' end,
            case
                when has_store and store_bool is null
                    then 'giá trị đúng/sai không hợp lệ ở cột from_personal_store'
            end,
            case when has_e_result and e_result_bool is null then 'giá trị đúng/sai không hợp lệ ở cột e_result' end,
            case when has_vneid and vneid_bool is null then 'giá trị đúng/sai không hợp lệ ở cột vneid_verified' end,
            case when repeated_id then 'mã hồ sơ trùng lặp (dossier_id)' end
        ) as reject_reason
    from with_as_of
),

final as (
    select
        dossier_id, agency_id, procedure_id, channel, status,
        submitted_at, received_at, due_at, finished_at, returned_at,
        return_method, paid_online,
        coalesce(synced_bool, false) as synced_national,
        coalesce(digitized_bool, false) as digitized,
        coalesce(reused_bool, false) as reused_data,
        coalesce(store_bool, false) as from_personal_store,
        coalesce(e_result_bool, false) as e_result,
        coalesce(vneid_bool, false) as vneid_verified,
        applicant_type,
        reject_reason, _source, _line, as_of
    from checked
)

select * from final
