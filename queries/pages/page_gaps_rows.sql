-- The rows of the gap page /kiem-tra-tu-xa/: for each period of page_gaps_periods, the totals
-- of every unit compared and the 50 metrics with the largest gaps (gap_rank ≤ 50; equal gaps
-- share a rank, so there may be a few more), each with both sides' numerators, denominators,
-- rates and points (official_vs_recomputed), the unit's name and page (dim_agencies.slug).
-- Used by the pages only, not published.
--
-- Columns: those of official_vs_recomputed, slug, period_order (page_gaps_periods.row_order),
-- row_order (1, 2, … within period and kind: by gap_rank, then the unit's name, the subject)
-- reads: dim_agencies, official_vs_recomputed, page_gaps_periods
with shown as (
    select o.*, p.row_order as period_order
    from official_vs_recomputed as o
    inner join page_gaps_periods as p on p.period = o.period and p.period_type = o.period_type
    where o.kind = 'total' or (o.kind = 'metric' and o.gap_rank <= 50)
),

final as (
    select
        s.* exclude (agency_name),
        coalesce(a.name, s.agency_name) as agency_name,
        a.slug,
        row_number() over (
            partition by s.period_order, s.kind
            order by s.gap_rank nulls last, coalesce(a.name, s.agency_name) collate vi,
                s.agency_id, s.subject_order
        ) as row_order
    from shown as s
    left join dim_agencies as a on a.agency_id = s.agency_id
)

select * from final
order by period_order, kind desc, row_order
