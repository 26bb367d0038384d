-- One row per row of the official_scores input: a score as the national portal published it.
-- period: '2026-03' (month), '2026-Q1' (quarter) or '2026' (year); group: a 766 group
-- (seed_groups) or TOTAL.
-- reads: raw_official_scores, seed_groups, stg_agencies
with src as (
    select
        _source,
        _line,
        clean_text(agency_id) as agency_id,
        upper(clean_text(period)) as period,
        upper(clean_text("group")) as score_group,
        score as score_raw,
        parse_number(score) as score
    from raw_official_scores
),

counted as (
    select *, count(*) over (partition by agency_id, period, score_group) as key_copies
    from src
),

final as (
    select
        agency_id,
        period,
        case
            when regexp_full_match(period, '\d{4}-\d{2}') then 'month'
            when regexp_full_match(period, '\d{4}-Q[1-4]') then 'quarter'
            when regexp_full_match(period, '\d{4}') then 'year'
        end as period_type,
        score_group as "group",
        score,
        coalesce(
            case when agency_id is null then 'thiếu mã đơn vị (agency_id)' end,
            case
                when agency_id not in (select agency_id from stg_agencies where reject_reason is null)
                    then 'đơn vị không có trong danh mục (agency_id)'
            end,
            case
                when period is null
                    or not (regexp_full_match(period, '\d{4}-(0[1-9]|1[0-2])')
                        or regexp_full_match(period, '\d{4}-Q[1-4]')
                        or regexp_full_match(period, '\d{4}'))
                    then 'kỳ không hợp lệ (period)'
            end,
            case
                when score_group is null
                    or score_group not in (select "group" from seed_groups union all select 'TOTAL')
                    then 'nhóm chỉ số không hợp lệ (group)'
            end,
            case when score is null or not isfinite(score) or score < 0 then 'điểm không hợp lệ (score)' end,
            case when key_copies > 1 then 'điểm trùng lặp (agency_id, period, group)' end
        ) as reject_reason,
        _source,
        _line
    from counted
)

select * from final
