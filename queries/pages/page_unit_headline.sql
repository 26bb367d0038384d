-- One row per unit of page_units: the unit as its page /co-quan/<slug>/ presents it (site.md,
-- "A unit's scorecard": the unit, its level and parent, the period, the rank within its level),
-- with what the page chooses to show. Used by the pages only, not published.
--
-- Columns:
--   those of page_units
--   level_tab        the unit's level as the ranking's tab names it ("Sở, ban, ngành")
--   level_name       its level in a sentence ("sở, ban, ngành"; "toàn tỉnh" for the province
--                    unit)
--   peers            the units it is ranked among ("các sở, ban, ngành"; empty if unknown)
--   since_period     the period before its page period (dim_periods.previous_period), which
--                    the changes are measured from; empty for the first month
--   months_count     its months in page_unit_months (the trend's length)
--   show_trend       more than one month: the trend and channel charts are drawn
--   show_rank        it has a rank in its page period and is not the province unit
--   rank_reason      why it is not ranked in its page period (page_ranking), else empty
-- reads: dim_periods, page_ranking, page_unit_months, page_unit_scores, page_units, seed_labels_levels
with levels as (
    select level, tab as level_tab, name as level_name, peers from seed_labels_levels
),

months as (
    select agency_id, count(*) as months_count
    from page_unit_months
    group by agency_id
),

previous as (
    select p.period, prev.period as since_period
    from dim_periods as p
    inner join dim_periods as prev
        on prev.period = p.previous_period and prev.period_type = p.period_type
    where p.period_type = 'month'
)

select
    u.*,
    coalesce(l.level_tab, u.level) as level_tab,
    case when u.is_province then 'toàn tỉnh' else coalesce(l.level_name, u.level) end
        as level_name,
    coalesce(l.peers, '') as peers,
    pr.since_period,
    coalesce(m.months_count, 0) as months_count,
    coalesce(m.months_count, 0) > 1 as show_trend,
    coalesce(s.ranked and not u.is_province, false) as show_rank,
    r.not_ranked_reason as rank_reason
from page_units as u
left join levels as l on l.level = u.level
left join previous as pr on pr.period = u.period
left join months as m on m.agency_id = u.agency_id
left join page_unit_scores as s on s.agency_id = u.agency_id
left join page_ranking as r
    on r.agency_id = u.agency_id and r.period = u.period and r.period_type = 'month'
order by u.agency_id
