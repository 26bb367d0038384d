-- One row per unit of dim_agencies: what its page /co-quan/<slug>/ shows at the top (site.md,
-- "A unit's scorecard"). Used by the pages only, not published.
--
-- Columns:
--   agency_id, name, slug, level, is_province, valid_from, valid_to
--   parent_id, parent_name, parent_slug          the parent unit, when it is in dim_agencies
--   successor_id, successor_name, successor_slug the unit it was merged into or renamed to
--   merged_on                                    the first day in the successor: valid_to + 1
--                                                day (empty when valid_to is empty)
--   period, period_complete, first_day           the page's period: the latest complete month
--                                                in which the unit exists (valid_from..valid_to
--                                                overlaps it; for a unit that ended: its last
--                                                month); else the latest month in which it
--                                                exists; else the latest month it has figures
--                                                for; empty when it has none
--   predecessors                                 number of units whose successor_id is this unit
-- reads: dim_agencies, dim_agency_periods, dim_periods
with units as (
    select agency_id, name, slug, level, parent_id, valid_from, valid_to, successor_id,
        is_province
    from dim_agencies
),

months as (
    select ap.agency_id, ap.period, p.complete, p.first_day, ap.exists_in_period
    from dim_agency_periods as ap
    inner join dim_periods as p on p.period = ap.period and p.period_type = ap.period_type
    where ap.period_type = 'month'
),

headline as (
    select
        agency_id,
        arg_max(
            period,
            (case when exists_in_period and complete then 2
                  when exists_in_period then 1 else 0 end, first_day)
        ) as period
    from months
    group by agency_id
),

predecessors as (
    select successor_id as agency_id, count(*) as predecessors
    from units
    where successor_id is not null
    group by successor_id
)

select
    u.agency_id,
    u.name,
    u.slug,
    u.level,
    u.is_province,
    u.valid_from,
    u.valid_to,
    u.parent_id,
    parent.name as parent_name,
    parent.slug as parent_slug,
    u.successor_id,
    succ.name as successor_name,
    succ.slug as successor_slug,
    cast(u.valid_to + interval 1 day as date) as merged_on,
    h.period,
    p.complete as period_complete,
    p.first_day,
    coalesce(pre.predecessors, 0) as predecessors
from units as u
left join units as parent on parent.agency_id = u.parent_id
left join units as succ on succ.agency_id = u.successor_id
left join headline as h on h.agency_id = u.agency_id
left join dim_periods as p on p.period = h.period and p.period_type = 'month'
left join predecessors as pre on pre.agency_id = u.agency_id
order by u.agency_id
