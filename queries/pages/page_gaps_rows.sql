-- The rows of the gap page /kiem-tra-tu-xa/: for each period of page_gaps_periods, the totals
-- of every unit compared, the metrics with the 50 largest gaps (top_overall: gap_rank ≤ 50;
-- equal gaps share a rank, so there may be a few more) and, for each metric, the three units
-- with its largest gaps (top_of_metric), each with both sides' numerators, denominators, rates
-- and points (official_vs_recomputed), the unit's name and page (dim_agencies.slug). Rows
-- without any gap (gap_rank empty) are not shown, except the totals. Used by the pages only,
-- not published.
--
-- Columns: those of official_vs_recomputed, slug, period_order (page_gaps_periods.row_order),
-- top_overall, top_of_metric, row_order (1, 2, … within period and kind: by gap_rank, then the
-- unit's name, the subject), metric_row (1, 2, … within period and metric, by gap_rank)
-- reads: dim_agencies, official_vs_recomputed, page_gaps_periods
with shown as (
    select
        o.*,
        p.row_order as period_order,
        coalesce(a.name, o.agency_name) as unit_name,
        a.slug
    from official_vs_recomputed as o
    inner join page_gaps_periods as p on p.period = o.period and p.period_type = o.period_type
    left join dim_agencies as a on a.agency_id = o.agency_id
    where o.kind = 'total' or (o.kind = 'metric' and o.gap_rank is not null)
),

ordered as (
    select
        *,
        row_number() over (
            partition by period_order, kind
            order by gap_rank nulls last, unit_name collate vi, agency_id, subject_order
        ) as row_order,
        row_number() over (
            partition by period_order, kind, subject
            order by gap_rank, unit_name collate vi, agency_id
        ) as metric_row
    from shown
),

final as (
    select
        * exclude (agency_name, unit_name),
        unit_name as agency_name,
        kind = 'metric' and gap_rank <= 50 as top_overall,
        kind = 'metric' and metric_row <= 3 as top_of_metric
    from ordered
    where kind = 'total' or gap_rank <= 50 or metric_row <= 3
)

select * from final
order by period_order, kind desc, row_order
