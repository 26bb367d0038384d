-- One row per subject (total, the six groups, the metrics) of official_vs_recomputed for each
-- unit's latest compared period: the section "Điểm của Cổng DVCQG và điểm tính lại" of its page
-- /co-quan/<slug>/. The latest: the period whose compared capture is the latest; between
-- periods compared with one capture time, the longest (year, quarter, month). Used by the
-- pages only, not published.
--
-- Columns: those of official_vs_recomputed, row_order (1, 2, … within the unit: the total,
-- the groups in order, then the metrics in the portal's order)
-- reads: official_vs_recomputed
with periods as (
    select
        agency_id,
        period,
        row_number() over (
            partition by agency_id
            order by max(captured_at) desc,
                case period_type when 'year' then 1 when 'quarter' then 2 else 3 end
        ) as recency
    from official_vs_recomputed
    group by agency_id, period, period_type
),

final as (
    select
        o.*,
        row_number() over (partition by o.agency_id order by o.subject_order, o.subject)
            as row_order
    from official_vs_recomputed as o
    inner join periods as p
        on p.agency_id = o.agency_id and p.period = o.period and p.recency = 1
)

select * from final
order by agency_id, row_order
