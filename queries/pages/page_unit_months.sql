-- One row per unit × month of the 24 months that end with the unit's page period
-- (page_units.period), in which the unit has figures: the monthly series of its page (site.md,
-- unit scorecard: "monthly trend of total_100 and of on-time % (24 months)", "channel mix over
-- time"). Used by the pages only, not published.
--
-- Columns:
--   agency_id, period, complete, first_day
--   row_order                           1, 2, … within the unit, by period
--   total_100, band                     scores_766
--   on_time_pct, online_pct, received_new, received_online, received_direct, received_postal,
--   resolved                            agency_period_metrics
--   province_on_time_pct                the province unit's on_time_pct in the same month
--                                       (the trend chart's comparison line); empty on the
--                                       province unit's own page
-- reads: agency_period_metrics, page_units, scores_766
with pages as (
    select agency_id, first_day as page_first_day
    from page_units
    where period is not null
),

province as (
    select m.period, m.on_time_pct
    from agency_period_metrics as m
    inner join page_units as u on u.agency_id = m.agency_id and u.is_province
    where m.period_type = 'month'
)

select
    m.agency_id,
    m.period,
    m.complete,
    m.first_day,
    s.total_100,
    s.band,
    m.on_time_pct,
    m.online_pct,
    m.received_new,
    m.received_online,
    m.received_direct,
    m.received_postal,
    m.resolved,
    case when not u.is_province then pv.on_time_pct end as province_on_time_pct,
    row_number() over (partition by m.agency_id order by m.period) as row_order
from agency_period_metrics as m
inner join pages as pg on pg.agency_id = m.agency_id
inner join page_units as u on u.agency_id = m.agency_id
left join province as pv on pv.period = m.period
left join scores_766 as s
    on s.agency_id = m.agency_id and s.period = m.period and s.period_type = m.period_type
where m.period_type = 'month'
    and m.first_day <= pg.page_first_day
    and m.first_day > pg.page_first_day - interval 24 month
order by m.agency_id, row_order
