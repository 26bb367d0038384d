-- Invariant: every (unit, period) of dim_agency_periods has every indicator of the build's rule
-- set (seed_rule_set: 19 for qd766-v1) in index_766 and one row in scores_766, and neither table
-- has other (unit, period)s. Every rule set of the seeds is whole (the build's, and the others:
-- qd766-2026 checks the portal's figures on every build): every indicator belongs to a group of
-- seed_groups, each group's maximum is the sum of its indicators' maxima, and these add up to 100.
-- reads: dim_agency_periods, index_766, scores_766, seed_groups, seed_rule_set
with expected as (
    select agency_id, period from dim_agency_periods
),

rule_set as (
    select * from seed_rule_set where rule_set = getvariable('rule_set')
),

rule_set_size as (
    select count(*) as indicators from rule_set
),

group_sums as (
    select s.rule_set, g."group", g.max_points, coalesce(sum(i.max_points), 0) as indicator_sum
    from seed_groups as g
    cross join (select distinct rule_set from seed_rule_set) as s
    left join seed_rule_set as i on i.rule_set = s.rule_set and i."group" = g."group"
    group by s.rule_set, g."group", g.max_points
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
            || ' chỉ số thay vì ' || r.indicators || case when e.agency_id is null
                then ' (đơn vị × kỳ không có trong dim_agency_periods)' else '' end as problem
    from expected as e
    full join indicator_counts as i on i.agency_id = e.agency_id and i.period = e.period
    cross join rule_set_size as r
    where e.agency_id is null or coalesce(i.indicators, 0) <> r.indicators
    union all
    select
        'scores_766: đơn vị ' || coalesce(e.agency_id, s.agency_id) || ', kỳ '
            || coalesce(e.period, s.period) || case when e.agency_id is null
                then ' có điểm nhưng không có trong dim_agency_periods'
                else ' không có dòng điểm' end
    from expected as e
    full join score_rows as s on s.agency_id = e.agency_id and s.period = e.period
    where e.agency_id is null or s.agency_id is null
    union all
    select
        'seed_groups: nhóm ' || "group" || ' tối đa ' || max_points || ' điểm nhưng các chỉ số của '
            || rule_set || ' cộng lại ' || indicator_sum
    from group_sums
    where max_points <> indicator_sum
    union all
    select
        'seed_rule_set: chỉ số ' || indicator || ' của ' || rule_set || ' thuộc nhóm '
            || coalesce("group", '(trống)') || ', không có trong seed_groups'
    from seed_rule_set
    where "group" is null or "group" not in (select "group" from seed_groups)
    union all
    select 'seed_rule_set: các chỉ số của ' || rule_set || ' cộng lại '
        || sum(max_points) || ' điểm, không phải 100'
    from seed_rule_set
    group by rule_set
    having sum(max_points) <> 100
)

select * from final
