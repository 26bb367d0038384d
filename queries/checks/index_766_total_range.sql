-- Invariant: total_100 lies within 0..100, total within 0..assessed_max, total_100 is empty
-- exactly when nothing is assessed (assessed_max 0), and a unit has a band exactly when it is
-- ranked (it existed, had at least min_to_handle dossiers to handle and a total_100).
-- reads: scores_766
with final as (
    select
        'scores_766: đơn vị ' || s.agency_id || ' (' || s.agency_name || '), kỳ ' || s.period
            || ': tổng điểm ' || coalesce(cast(s.total as varchar), 'trống') || '/'
            || s.assessed_max || ', quy về thang 100: '
            || coalesce(cast(s.total_100 as varchar), 'trống') || ' không hợp lệ' as problem
    from scores_766 as s
    where s.total_100 < 0
        or s.total_100 > 100
        or s.total < 0
        or s.total > s.assessed_max
        or (s.total_100 is null) <> (s.assessed_max = 0)
        or (s.band is not null) <> s.ranked
)

select * from final
