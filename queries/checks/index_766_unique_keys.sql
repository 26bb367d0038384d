-- Invariant: index_766 has one row per (unit, period, indicator) and scores_766 one row per
-- (unit, period). One row per repeated key.
-- reads: dim_agencies, index_766, scores_766
with index_keys as (
    select agency_id, period, indicator, count(*) as copies
    from index_766
    group by agency_id, period, indicator
    having count(*) > 1
),

score_keys as (
    select agency_id, period, count(*) as copies
    from scores_766
    group by agency_id, period
    having count(*) > 1
),

final as (
    select
        'index_766: đơn vị ' || k.agency_id || coalesce(' (' || a.name || ')', '') || ', kỳ '
            || k.period || ', chỉ số ' || k.indicator || ' có ' || k.copies || ' dòng'
            as problem
    from index_keys as k
    left join dim_agencies as a on a.agency_id = k.agency_id
    union all
    select
        'scores_766: đơn vị ' || k.agency_id || coalesce(' (' || a.name || ')', '') || ', kỳ '
            || k.period || ' có ' || k.copies || ' dòng'
    from score_keys as k
    left join dim_agencies as a on a.agency_id = k.agency_id
)

select * from final
