-- Invariant: every (unit, period) of dim_agency_periods has the 19 indicators of rule set
-- qd766-v1 in index_766 and one row in scores_766, and neither table has other (unit, period)s.
-- reads: dim_agency_periods, index_766, scores_766
with expected as (
    select agency_id, period from dim_agency_periods
),

indicator_counts as (
    select agency_id, period, count(distinct indicator) as indicators
    from index_766
    group by agency_id, period
),

score_rows as (
    select distinct agency_id, period from scores_766
),

final as (
    select
        'index_766: đơn vị ' || coalesce(e.agency_id, i.agency_id) || ', kỳ '
            || coalesce(e.period, i.period) || ' có ' || coalesce(i.indicators, 0)
            || ' chỉ số thay vì 19' || case when e.agency_id is null
                then ' (đơn vị × kỳ không có trong dim_agency_periods)' else '' end as problem
    from expected as e
    full join indicator_counts as i on i.agency_id = e.agency_id and i.period = e.period
    where e.agency_id is null or coalesce(i.indicators, 0) <> 19
    union all
    select
        'scores_766: đơn vị ' || coalesce(e.agency_id, s.agency_id) || ', kỳ '
            || coalesce(e.period, s.period) || case when e.agency_id is null
                then ' có điểm nhưng không có trong dim_agency_periods'
                else ' không có dòng điểm' end
    from expected as e
    full join score_rows as s on s.agency_id = e.agency_id and s.period = e.period
    where e.agency_id is null or s.agency_id is null
)

select * from final
