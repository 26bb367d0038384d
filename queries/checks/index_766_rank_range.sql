-- Invariant: a ranked unit has 1 <= rank <= rank_of, rank_of equal to the number of ranked units
-- of its level in the period, and a rank_order; an unranked unit has no rank; only units that
-- existed in the period and had dossiers to handle are ranked.
-- reads: dim_agency_periods, scores_766
with ranked_counts as (
    select level, period, count(*) as ranked_units
    from scores_766
    where ranked
    group by level, period
),

final as (
    select
        'scores_766: đơn vị ' || s.agency_id || ' (' || s.agency_name || '), kỳ ' || s.period
            || ': hạng ' || coalesce(cast(s.rank as varchar), 'trống') || '/'
            || coalesce(cast(s.rank_of as varchar), 'trống') || ' không hợp lệ' as problem
    from scores_766 as s
    left join ranked_counts as c on c.level = s.level and c.period = s.period
    left join dim_agency_periods as ap on ap.agency_id = s.agency_id and ap.period = s.period
    where (s.ranked and (s.rank is null or s.rank_of is null or s.rank_order is null
            or s.rank < 1 or s.rank > s.rank_of or s.rank_order > s.rank_of
            or s.rank_of <> c.ranked_units or not coalesce(ap.ranked_eligible, false)))
        or (not s.ranked and (s.rank is not null or s.rank_of is not null
            or s.rank_order is not null))
)

select * from final
