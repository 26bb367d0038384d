-- Invariant: an assessed indicator has points within 0..max_points (and a rounded value), except
-- a tracked one (maximum 0: qd766-2026's PETITION_CLASSIFICATION_*), which has none; one not
-- assessed has no points and says why; a rate lies within 0..100 (numerator <= denominator).
-- reads: dim_agencies, index_766
with final as (
    select
        'index_766: đơn vị ' || i.agency_id || coalesce(' (' || a.name || ')', '') || ', kỳ '
            || i.period || ', chỉ số ' || i.indicator || ': '
            || case
                when i.assessed and i.max_points > 0
                    and (i.points_exact is null or i.points is null)
                    then 'được đánh giá nhưng không có điểm'
                when i.assessed and (i.points_exact < 0 or i.points_exact > i.max_points + 1e-9
                        or i.points < 0 or i.points > i.max_points)
                    then 'điểm ' || coalesce(cast(i.points as varchar), '?')
                        || ' ngoài khoảng 0–' || i.max_points
                when not i.assessed and (i.points is not null or i.points_exact is not null)
                    then 'không được đánh giá nhưng có điểm'
                when not i.assessed and i.not_assessed_reason is null
                    then 'không được đánh giá nhưng thiếu lý do'
                else 'tử số ' || i.numerator || ' lớn hơn mẫu số ' || i.denominator
                    || ' hoặc âm'
            end as problem
    from index_766 as i
    left join dim_agencies as a on a.agency_id = i.agency_id
    where (i.assessed and i.max_points > 0 and (i.points_exact is null or i.points is null))
        or (i.assessed and (i.points_exact < 0 or i.points_exact > i.max_points + 1e-9
            or i.points < 0 or i.points > i.max_points))
        or (not i.assessed and (i.points is not null or i.points_exact is not null))
        or (not i.assessed and i.not_assessed_reason is null)
        or i.numerator < 0
        or i.numerator > i.denominator
)

select * from final
